using ScratchNet.Layers.Activations;
using ScratchNet.Tensors;
using static ScratchNet.Tests.Tensors.TensorMathReference;

namespace ScratchNet.Tests.Tensors;

/// <summary>
/// One plane's bias and ReLU in one pass (a convolution's output channel) against its scalar
/// specification and the two passes it replaces, on odd lengths, in place and out of place.
/// </summary>
[Trait("Category", "Kernels")]
public class AddConstantThenApplyTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(13)]
    [InlineData(33)]
    [InlineData(169)]
    [InlineData(577)]
    public void AddConstantThenApplyGivesTheBitsOfItsSpecificationAndOfTheTwoPasses(int length)
    {
        float[] x = Random(length, 51);
        float bias = -0.375f;
        if (length > 2) { x[1] = float.NaN; x[2] = 0.375f; } // NaN stays NaN; x + b = 0 exactly

        var fastZ = new float[length]; var fastY = new float[length];
        TensorMath.AddConstantThenApply(new ReLU.Function(), x, bias, fastZ, fastY);
        var scalarZ = new float[length]; var scalarY = new float[length];
        TensorMath.AddConstantThenApplyScalar(new ReLU.Function(), x, bias, scalarZ, scalarY);
        AssertSameBits(scalarZ, fastZ, "AddConstantThenApply z");
        AssertSameBits(scalarY, fastY, "AddConstantThenApply y");

        var inPlace = (float[])x.Clone(); var inPlaceY = new float[length];
        TensorMath.AddConstantThenApply(new ReLU.Function(), inPlace, bias, inPlace, inPlaceY);
        AssertSameBits(scalarZ, inPlace, "in place, z");
        AssertSameBits(scalarY, inPlaceY, "in place, y");

        var twoPassZ = new float[length]; var twoPassY = new float[length];
        System.Numerics.Tensors.TensorPrimitives.Add(x, bias, twoPassZ);
        Vectorized.Transform(new ReLU.Function(), twoPassZ, twoPassY);
        AssertSameBits(twoPassZ, fastZ, "Add then ReLU, z");
        AssertSameBits(twoPassY, fastY, "Add then ReLU, y");
    }
}
