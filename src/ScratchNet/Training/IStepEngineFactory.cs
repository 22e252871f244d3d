using ScratchNet.Data;
using ScratchNet.Models;

namespace ScratchNet.Training;

/// <summary>
/// Makes the <see cref="IStepEngine"/> of a device for a <see cref="Trainer"/> (<see cref="TrainerOptions.Engine"/>).
/// The library holds no device code: a separate package (ScratchNet.Gpu) implements this.
/// </summary>
public interface IStepEngineFactory
{
    /// <summary>The device's name as the command line writes it ("cuda", "cpu-accelerator").</summary>
    string Device { get; }

    /// <summary>
    /// Checks, before anything is trained, that this device can train <paramref name="model"/> with
    /// these options (its layers, loss, optimizer and extras).
    /// </summary>
    /// <exception cref="ArgumentException">Something the device does not support; the message names it and the device, in one line.</exception>
    void Validate(Model model, TrainerOptions options, Dataset train);

    /// <summary>
    /// An engine for <paramref name="model"/> (built) that trains on <paramref name="train"/> in batches
    /// of at most <paramref name="batchSize"/> rows; it starts from the model's current parameters and
    /// the optimizer's current state.
    /// </summary>
    IStepEngine Create(Model model, TrainerOptions options, Dataset train, int batchSize);
}
