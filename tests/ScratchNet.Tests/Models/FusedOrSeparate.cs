using ScratchNet.Models;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Models;

/// <summary>
/// One training pass of a built <see cref="Sequential"/>, either as the model runs it (its fused runs)
/// or with each layer's own Forward and Backward called one by one: the two ways whose bits the fusion
/// tests compare.
/// </summary>
internal static class FusedOrSeparate
{
    /// <summary>
    /// y = model(x) in training mode (or in inference mode, when <paramref name="training"/> is false: a
    /// Backward after an inference pass, as a gradient check may run), then dL/dx from dL/dy =
    /// <paramref name="dy"/> (an empty tensor when <paramref name="inputGradient"/> is false); through the
    /// model when <paramref name="fusedPath"/>, else layer by layer.
    /// </summary>
    public static (Tensor Y, Tensor Dx) Step(Sequential model, Tensor x, Tensor dy, bool fusedPath, bool inputGradient, bool training = true)
    {
        if (fusedPath)
        {
            var output = model.Forward(x, training);
            return (output, model.Backward(dy, inputGradient) ?? new Tensor(0));
        }
        Tensor y = x;
        foreach (var layer in model.Layers) y = layer.Forward(y, training);
        if (!inputGradient) model.Layers[0].InputGradientRequired = false;
        Tensor dx = dy;
        for (int i = model.Layers.Count - 1; i >= 0; i--) dx = model.Layers[i].Backward(dx);
        model.Layers[0].InputGradientRequired = true;
        return (y, inputGradient ? dx : new Tensor(0));
    }
}
