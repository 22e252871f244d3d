using System.Security.Cryptography;
using System.Text.RegularExpressions;
using ScratchNet.Benchmarks.Tools;
using ScratchNet.Plotting;
using ScratchNet.Tests.Data;

namespace ScratchNet.Tests.Plotting;

/// <summary>
/// docs/images must be what the generator (bench/ScratchNet.Benchmarks/Tools/DocsImages.cs, compiled
/// into this project too) makes from the shipped data now, so that the docs show what the plotting code
/// draws. PNG files, and the PNGs inside SVG data URIs, are compared by their decoded pixels: the
/// compressed bytes depend on the runtime's zlib, not on our code. SVG text and GIF files (our own
/// LZW encoder) are compared byte for byte.
/// </summary>
public partial class DocsImagesTests
{
    private const string Regenerate = "if the change is intended, regenerate with `dotnet run -c Release --project bench/ScratchNet.Benchmarks -- docs-images` and review the pictures";

    [Fact]
    public void Docs_images_are_what_the_generator_makes_now()
    {
        using var fresh = new TempFolder();
        DocsImages.Write(TempFolder.RepoData, fresh.Path);
        string docs = Path.Combine(Path.GetDirectoryName(TempFolder.RepoData)!, "docs", "images");
        Assert.Equal(DocsImages.FileNames.Order(), fresh.Files());
        Assert.Equal(DocsImages.FileNames.Order(), Directory.GetFiles(docs).Select(f => Path.GetFileName(f)).Order());

        foreach (string name in DocsImages.FileNames)
        {
            byte[] expected = File.ReadAllBytes(Path.Combine(docs, name)), actual = File.ReadAllBytes(fresh.File(name));
            switch (Path.GetExtension(name))
            {
                case ".png":
                    var (e, a) = (PngTestDecoder.Decode(expected), PngTestDecoder.Decode(actual));
                    Assert.True((e.Width, e.Height) == (a.Width, a.Height) && e.Pixels.AsSpan().SequenceEqual(a.Pixels),
                        $"docs/images/{name}: the pixels differ ({e.Width}x{e.Height} stored, {a.Width}x{a.Height} made now); {Regenerate}.");
                    break;
                case ".svg":
                    AssertSameText(name, WithPngPixelDigests(File.ReadAllText(Path.Combine(docs, name))), WithPngPixelDigests(File.ReadAllText(fresh.File(name))));
                    break;
                default:
                    Assert.True(expected.AsSpan().SequenceEqual(actual), $"docs/images/{name}: the bytes differ; {Regenerate}.");
                    break;
            }
        }
    }

    [Fact]
    public void Svg_comparison_sees_the_pixels_of_embedded_pngs()
    {
        // Two PNGs of one pixel that differ only in its colour: their digests must differ, or the
        // comparison above could not see a changed picture inside mnist-predictions.svg.
        string Svg(Rgb colour)
        {
            var image = new RgbImage(1, 1);
            image.SetPixel(0, 0, colour);
            return $"<image href=\"data:image/png;base64,{Convert.ToBase64String(image.ToPng())}\"/>";
        }
        Assert.Equal(WithPngPixelDigests(Svg(new Rgb(10, 20, 30))), WithPngPixelDigests(Svg(new Rgb(10, 20, 30))));
        Assert.NotEqual(WithPngPixelDigests(Svg(new Rgb(10, 20, 30))), WithPngPixelDigests(Svg(new Rgb(10, 20, 31))));
        Assert.DoesNotContain("base64", WithPngPixelDigests(Svg(new Rgb(10, 20, 30))));
    }

    /// <summary>Each PNG data URI replaced by its size and the SHA-256 of its decoded pixels.</summary>
    private static string WithPngPixelDigests(string svg) => PngDataUri().Replace(svg.ReplaceLineEndings("\n"), m =>
    {
        var png = PngTestDecoder.Decode(Convert.FromBase64String(m.Groups[1].Value));
        return $"png-pixels:{png.Width}x{png.Height}:{Convert.ToHexStringLower(SHA256.HashData(png.Pixels))}";
    });

    private static void AssertSameText(string name, string expected, string actual)
    {
        if (expected == actual) return;
        int i = 0;
        while (i < Math.Min(expected.Length, actual.Length) && expected[i] == actual[i]) i++;
        string Around(string s) => s.Substring(Math.Max(0, i - 60), Math.Min(120, s.Length - Math.Max(0, i - 60)));
        Assert.Fail($"docs/images/{name} differs at character {i}.\nstored: ...{Around(expected)}...\nnow:    ...{Around(actual)}...\n{Regenerate}.");
    }

    [GeneratedRegex("data:image/png;base64,([A-Za-z0-9+/=]+)")]
    private static partial Regex PngDataUri();
}
