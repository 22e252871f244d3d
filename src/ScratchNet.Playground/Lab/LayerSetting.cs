namespace ScratchNet.Playground.Lab;

/// <summary>One hidden layer of the page's network: Dense(units) then the activation.</summary>
public sealed record LayerSetting(int Units, string Activation);
