namespace ScratchNet.Layers;

/// <summary>
/// A layer that draws random numbers while training (Dropout). Its generator is forked from the
/// build generator, so runs are reproducible; checkpoints save <c>Rng.GetState()</c> and restore it
/// with <c>Rng.SetState</c> so a resumed run draws the same masks as an uninterrupted one.
/// </summary>
public interface IStochasticLayer
{
    /// <summary>The layer's own generator (available after Build).</summary>
    Rng Rng { get; }
}
