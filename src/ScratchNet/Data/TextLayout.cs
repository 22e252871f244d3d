namespace ScratchNet.Data;

/// <summary>How a text becomes next-token samples.</summary>
public enum TextLayout
{
    /// <summary>One long stream (tiny Shakespeare): blocks of T characters; the first 90 % trains, the last 10 % validates, as nanoGPT splits it.</summary>
    Stream,

    /// <summary>One item per line (names.txt): each line is a sample between start and end tokens; a seeded random 10 % (at most 1,000) is the test split, as makemore makes it.</summary>
    Lines,
}
