namespace ScratchNet.Playground.Lab;

/// <summary>A weight of the drawn network: from node (column, row) to node (column + 1, row2), its value, what hovering it shows.</summary>
public sealed record Link(int Column, int From, int To, float Weight, string Info);
