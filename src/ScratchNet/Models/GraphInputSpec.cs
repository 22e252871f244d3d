namespace ScratchNet.Models;

/// <summary>One input of a <see cref="GraphSpec"/>: its node name and per-sample shape.</summary>
/// <param name="Name">The node name ("image").</param>
/// <param name="Shape">The per-sample shape ([784]).</param>
public sealed record GraphInputSpec(string Name, int[] Shape);
