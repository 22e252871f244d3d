namespace ScratchNet.Models;

/// <summary>The outcome of checking one tensor's gradient (a parameter, or the input).</summary>
/// <param name="Name">"0.Dense.weight" (layer index, layer type, parameter name) or "input".</param>
/// <param name="LayerIndex">The layer's index in the model's <see cref="Model.NamedLayers"/> (its position in a Sequential); -1 for the input.</param>
/// <param name="Checked">How many entries were compared (not counting those skipped at kinks).</param>
/// <param name="Total">How many entries the tensor has.</param>
/// <param name="MaxRelativeError">Largest |a - n| / max(|a|, |n|, floor) over the checked entries.</param>
/// <param name="MaxAbsoluteError">Largest |a - n|.</param>
/// <param name="WorstIndex">Flat index of the entry with the largest relative error.</param>
/// <param name="Analytic">Back-propagated gradient at <paramref name="WorstIndex"/>.</param>
/// <param name="Numeric">Central-difference gradient at <paramref name="WorstIndex"/>.</param>
/// <param name="SkippedAtKinks">Entries left out because θ ± h put some input of a piecewise layer (ReLU) on another side of a kink.</param>
public sealed record GradientCheckEntry(string Name, int LayerIndex, int Checked, int Total,
    double MaxRelativeError, double MaxAbsoluteError, int WorstIndex, double Analytic, double Numeric, int SkippedAtKinks = 0);
