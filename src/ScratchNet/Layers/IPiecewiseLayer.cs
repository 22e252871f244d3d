namespace ScratchNet.Layers;

/// <summary>
/// A layer that is not differentiable everywhere: ReLU and its kin have a kink at 0, max-pooling
/// switches at ties. Between kinks it is smooth. A central difference whose two points lie on different
/// sides of a kink measures no derivative at all, so the gradient check asks such layers which region
/// their last forward input lay in, and skips entries whose perturbation moved any input across a kink.
/// </summary>
public interface IPiecewiseLayer
{
    /// <summary>
    /// A fingerprint of the region of the last forward input (for ReLU: a hash of which inputs were
    /// positive). Equal fingerprints mean the same smooth piece.
    /// </summary>
    ulong RegionFingerprint();
}
