using ILGPU;

namespace ScratchNet.Gpu.Kernels;

/// <summary>The launchers' one check on the device views they are given: exactly the length the shape implies.</summary>
internal static class ConvViews
{
    /// <summary>Throws when <paramref name="view"/> does not hold exactly <paramref name="length"/> values; the message names the launcher's method and the argument.</summary>
    public static void Require<T>(ArrayView<T> view, long length, string method, string argument) where T : unmanaged
    {
        if (view.Length != length)
            throw new ArgumentException($"{method}: {argument} holds {view.Length} values, the shape needs {length}.", argument);
    }
}
