namespace ScratchNet.Playground.Lab;

/// <summary>A neuron of the drawn network: its column, its row, its label and what hovering it shows.</summary>
public sealed record Node(int Column, int Row, string Label, string Info);
