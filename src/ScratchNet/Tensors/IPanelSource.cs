namespace ScratchNet.Tensors;

/// <summary>
/// A right-hand GEMM operand op(B) that is never stored as a matrix: the GEMM asks it for one packed
/// panel at a time (see <see cref="Gemm.MultiplyFromPanels"/>).
/// A convolution's patch matrix is one: each entry is read straight from the input image, so the
/// im2col copy is never written out.
/// </summary>
internal unsafe interface IPanelSource
{
    /// <summary>
    /// Writes <c>dst[q·w + t] = op(B)[k0 + q, j0 + t]</c> for q &lt; kc and t &lt; cols, and 0 for
    /// cols &lt;= t &lt; w. Called from several threads at once for different panels.
    /// </summary>
    void PackPanel(int k0, int kc, int j0, int cols, float* dst, int w);
}
