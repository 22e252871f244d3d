using System.Text;
using System.Text.Json;

namespace ScratchNet.Data;

/// <summary>
/// A character-level tokenizer: every distinct character (Unicode scalar) of a corpus is one token,
/// numbered in ordinal order, as nanoGPT's <c>sorted(set(text))</c> does. With a boundary token, id 0
/// marks the start and the end of an item and the characters are numbered from 1, as makemore does
/// for names. The vocabulary is stored in the model file, so a model encodes prompts and decodes its
/// samples with the characters it was trained on.
/// </summary>
public sealed class CharVocabulary
{
    /// <summary>The id of the boundary token when <see cref="HasBoundary"/> (makemore's 0).</summary>
    public const int BoundaryId = 0;

    private readonly string[] _characters;
    private readonly Dictionary<int, int> _idOfScalar;

    private CharVocabulary(IEnumerable<Rune> characters, bool hasBoundary)
    {
        var sorted = characters.Distinct().OrderBy(r => r.Value).ToArray();
        if (sorted.Length == 0) throw new ArgumentException("a vocabulary needs at least one character", nameof(characters));
        if (sorted.Length + (hasBoundary ? 1 : 0) > Limits.MaxVocabulary)
            throw new ArgumentException($"{sorted.Length:N0} distinct characters, more than the {Limits.MaxVocabulary:N0} a vocabulary may have", nameof(characters));
        HasBoundary = hasBoundary;
        _characters = sorted.Select(r => r.ToString()).ToArray();
        int first = hasBoundary ? 1 : 0;
        _idOfScalar = new Dictionary<int, int>(sorted.Length);
        for (int i = 0; i < sorted.Length; i++) _idOfScalar[sorted[i].Value] = first + i;
    }

    /// <summary>Whether id <see cref="BoundaryId"/> is a start/end token rather than a character.</summary>
    public bool HasBoundary { get; }

    /// <summary>Number of token ids: the characters, plus one for the boundary token.</summary>
    public int Count => _characters.Length + (HasBoundary ? 1 : 0);

    /// <summary>The characters in id order (without the boundary token).</summary>
    public IReadOnlyList<string> Characters => _characters;

    /// <summary>The vocabulary of every character in <paramref name="text"/>, with or without a boundary token.</summary>
    /// <exception cref="ArgumentException">The text is empty, or has more than <see cref="Limits.MaxVocabulary"/> distinct characters.</exception>
    public static CharVocabulary FromText(string text, bool withBoundary = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new CharVocabulary(text.EnumerateRunes(), withBoundary);
    }

    /// <summary>The vocabulary of every character in <paramref name="items"/>, with a boundary token (makemore).</summary>
    public static CharVocabulary FromItems(IEnumerable<string> items) =>
        new(items.SelectMany(w => w.EnumerateRunes()), hasBoundary: true);

    /// <summary>Whether <paramref name="character"/> has an id.</summary>
    public bool Contains(Rune character) => _idOfScalar.ContainsKey(character.Value);

    /// <summary>
    /// The token ids of <paramref name="text"/>, one per character. <paramref name="source"/> names the
    /// text in the error ("the prompt", a file).
    /// </summary>
    /// <exception cref="DataFormatException">A character the vocabulary does not have; the message gives it, its code point and its position.</exception>
    public int[] Encode(string text, string source = "the text")
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length);
        int position = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (!_idOfScalar.TryGetValue(rune.Value, out int id))
                throw new DataFormatException(source, $"the character {Describe(rune)} at position {position + 1} is not in the model's vocabulary of {_characters.Length} characters ({Preview()})");
            ids.Add(id);
            position++;
        }
        return [.. ids];
    }

    /// <summary>The text of <paramref name="ids"/>; the boundary token gives nothing (it only separates items).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id outside [0, <see cref="Count"/>).</exception>
    public string Decode(ReadOnlySpan<int> ids)
    {
        var sb = new StringBuilder(ids.Length);
        foreach (int id in ids) sb.Append(TokenText(id, boundary: ""));
        return sb.ToString();
    }

    /// <summary>How token <paramref name="id"/> is shown in reports: its character, or "." for the boundary token.</summary>
    public string Display(int id) => TokenText(id, boundary: ".");

    private string TokenText(int id, string boundary)
    {
        if ((uint)id >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(id), id, $"token ids are 0 to {Count - 1}");
        if (HasBoundary) return id == BoundaryId ? boundary : _characters[id - 1];
        return _characters[id];
    }

    /// <summary>The vocabulary as JSON: <c>{"characters": [...], "boundary": true}</c>, for the model file.</summary>
    public string ToJson() => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["characters"] = _characters,
        ["boundary"] = HasBoundary,
    });

    /// <summary>Reads <see cref="ToJson"/>'s text, checking every value.</summary>
    /// <exception cref="FormatException">Not JSON of that form: an entry that is not exactly one character, a repeated character, too many characters.</exception>
    public static CharVocabulary FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("characters", out var chars) || chars.ValueKind != JsonValueKind.Array)
                throw new FormatException("the vocabulary is not an object with a 'characters' array");
            if (chars.GetArrayLength() is 0 or > Limits.MaxVocabulary)
                throw new FormatException($"the vocabulary has {chars.GetArrayLength():N0} characters (1 to {Limits.MaxVocabulary:N0})");
            bool boundary = root.TryGetProperty("boundary", out var b) && b.ValueKind == JsonValueKind.True;
            var runes = new List<Rune>();
            foreach (var c in chars.EnumerateArray())
            {
                string s = c.ValueKind == JsonValueKind.String ? c.GetString()! : throw new FormatException("a vocabulary entry is not a string");
                if (Rune.DecodeFromUtf16(s, out var rune, out int used) != System.Buffers.OperationStatus.Done || used != s.Length)
                    throw new FormatException($"the vocabulary entry '{TextExcerpt.Of(s)}' is not one character");
                runes.Add(rune);
            }
            var vocabulary = new CharVocabulary(runes, boundary);
            if (vocabulary._characters.Length != runes.Count) throw new FormatException("the vocabulary lists a character twice");
            if (!vocabulary._characters.SequenceEqual(runes.Select(r => r.ToString())))
                throw new FormatException("the vocabulary's characters are not in ordinal order");
            return vocabulary;
        }
        catch (JsonException e)
        {
            throw new FormatException($"the vocabulary is not valid JSON ({e.Message.Split('\n')[0].TrimEnd('.')})", e);
        }
    }

    private static string Describe(Rune rune) =>
        Rune.IsControl(rune) || Rune.IsWhiteSpace(rune) ? $"U+{rune.Value:X4}" : $"'{rune}' (U+{rune.Value:X4})";

    private string Preview()
    {
        var shown = _characters.Take(40).Select(c => Rune.GetRuneAt(c, 0) is var r && (Rune.IsControl(r) || Rune.IsWhiteSpace(r)) ? $"U+{r.Value:X4}" : c);
        return string.Join(" ", shown) + (_characters.Length > 40 ? " ..." : "");
    }
}
