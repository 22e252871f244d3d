using ScratchNet.Layers;
using ScratchNet.Losses;
using ScratchNet.Tensors;

namespace ScratchNet.Models;

/// <summary>
/// Checks back-propagation against central differences: for a parameter entry θ_i,
/// numeric_i = (L(θ_i + h) - L(θ_i - h)) / 2h, compared with the analytic dL/dθ_i from
/// <see cref="Model.Backward(Tensor)"/>; the same for the entries of the input.
/// </summary>
/// <remarks>
/// The model runs in float32; the loss is read before its rounding to float (<see cref="Loss.LastValue"/>),
/// which keeps the numeric gradient good to about 1e-3 relative; a wrong factor or a missing term shows
/// up as errors of order 1. At a kink (a ReLU input within h of 0) a central difference measures no
/// derivative: entries whose perturbation moves any input of an <see cref="IPiecewiseLayer"/> across a
/// kink are skipped and counted (<see cref="GradientCheckEntry.SkippedAtKinks"/>). Dropout masks are held fixed by restoring each
/// <see cref="IStochasticLayer"/>'s generator before every forward pass (so is a sampling layer's ε);
/// the terms layers add to the loss (<see cref="Model.AddedLoss"/>) count in L; BatchNorm running statistics
/// and the generators are restored afterwards, so the check leaves the model as it found it
/// (except for parameter gradients, which hold the analytic gradient).
/// </remarks>
public static class GradientCheck
{
    /// <summary>Compares analytic and numeric gradients of <paramref name="loss"/> on one batch.</summary>
    public static GradientCheckResult Run(Model model, Loss loss, Tensor input, Tensor target, GradientCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        var o = options ?? new GradientCheckOptions();
        if (!(o.Epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(options), $"Gradient check: epsilon must be positive (got {o.Epsilon}).");
        if (!model.IsBuilt) throw new InvalidOperationException("Gradient check: the model is not built: call Build(inputShape, seed) first.");

        var layers = model.NamedLayers.Select(l => l.Layer).ToArray();
        var stochastic = layers.OfType<IStochasticLayer>().ToArray();
        var piecewise = o.SkipKinks ? layers.OfType<IPiecewiseLayer>().ToArray() : [];
        var baseRegions = new ulong[piecewise.Length];
        var rngStates = stochastic.Select(s => s.Rng.GetState()).ToArray();
        var buffers = layers.SelectMany(l => l.Buffers).Select(b => (b.Value, Saved: b.Value.Clone())).ToArray();
        var x = input.Clone();

        double Evaluate()
        {
            for (int i = 0; i < stochastic.Length; i++) stochastic[i].Rng.SetState(rngStates[i]);
            float value = loss.Forward(model.Forward(x, o.Training), target);
            return (double.IsNaN(loss.LastValue) ? value : loss.LastValue) + model.AddedLoss();
        }

        bool SameRegions()
        {
            for (int i = 0; i < piecewise.Length; i++)
                if (piecewise[i].RegionFingerprint() != baseRegions[i]) return false;
            return true;
        }

        try
        {
            double baseLoss = Evaluate();
            for (int i = 0; i < piecewise.Length; i++) baseRegions[i] = piecewise[i].RegionFingerprint();
            if (!double.IsFinite(baseLoss)) throw new ArithmeticException($"Gradient check: the loss is {baseLoss} at the starting point.");
            var inputGradient = model.Backward(loss.Backward()).Clone();

            var pick = new Rng(o.Seed);
            var entries = new List<GradientCheckEntry>();
            for (int li = 0; li < layers.Length; li++)
            {
                // "3.Dense.weight" in a Sequential (path "layers.3"), "dense_1.Dense.weight" in a graph ("nodes.dense_1").
                string label = model.NamedLayers[li].Path[(model.NamedLayers[li].Path.IndexOf('.') + 1)..];
                foreach (var p in layers[li].Parameters)
                    entries.Add(CheckTensor($"{label}.{layers[li].TypeName}.{p.Name}", li, p.Value, p.Gradient.Clone(), Evaluate, SameRegions, o, pick));
            }
            if (o.CheckInput)
                entries.Add(CheckTensor("input", -1, x, inputGradient, Evaluate, SameRegions, o, pick));
            return new GradientCheckResult(entries, o.Tolerance);
        }
        finally
        {
            for (int i = 0; i < stochastic.Length; i++) stochastic[i].Rng.SetState(rngStates[i]);
            foreach (var (value, saved) in buffers) saved.CopyTo(value);
        }
    }

    private static GradientCheckEntry CheckTensor(string name, int layerIndex, Tensor value, Tensor analytic,
        Func<double> evaluate, Func<bool> sameRegions, GradientCheckOptions o, Rng pick)
    {
        int n = value.Length;
        int[] indices;
        if (o.MaxEntriesPerTensor <= 0 || n <= o.MaxEntriesPerTensor)
            indices = Enumerable.Range(0, n).ToArray();
        else
        {
            indices = pick.Permutation(n)[..o.MaxEntriesPerTensor];
            Array.Sort(indices);
        }

        double maxRel = 0, maxAbs = 0, worstA = 0, worstN = 0;
        int worst = indices.Length > 0 ? indices[0] : -1, compared = 0, skipped = 0;
        var v = value.Span;
        foreach (int i in indices)
        {
            float original = v[i];
            float plus = original + o.Epsilon, minus = original - o.Epsilon;
            v[i] = plus;
            double lossPlus = evaluate();
            bool smooth = sameRegions();
            v[i] = minus;
            double lossMinus = evaluate();
            smooth &= sameRegions();
            v[i] = original;
            if (!smooth) { skipped++; continue; }
            compared++;
            // Divide by the step actually taken after float rounding, not the nominal 2h.
            double numeric = (lossPlus - lossMinus) / ((double)plus - minus);
            double a = analytic.Span[i];
            double abs = Math.Abs(a - numeric);
            double rel = abs / Math.Max(Math.Max(Math.Abs(a), Math.Abs(numeric)), o.Floor);
            if (double.IsNaN(rel)) rel = double.PositiveInfinity;
            maxAbs = Math.Max(maxAbs, abs);
            if (rel > maxRel || (rel == maxRel && i == worst)) { maxRel = rel; worst = i; worstA = a; worstN = numeric; }
        }
        if (compared > 0 && maxRel == 0) { worstA = analytic.Span[worst]; worstN = worstA; }
        return new GradientCheckEntry(name, layerIndex, compared, n, maxRel, maxAbs, worst, worstA, worstN, skipped);
    }
}
