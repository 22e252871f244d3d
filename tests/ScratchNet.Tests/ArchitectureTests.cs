using System.Reflection;
using System.Text.RegularExpressions;
using ScratchNet.Tests.Data;

namespace ScratchNet.Tests;

/// <summary>
/// The library's namespaces follow its layers (docs/ARCHITECTURE.md): each may refer only to the
/// layers below it. Checked twice: in the source (using directives and qualified names, comments
/// included) and in the compiled assembly (base types, interfaces, fields, properties, method signatures).
/// </summary>
public partial class ArchitectureTests
{
    /// <summary>What each layer may refer to, besides itself and its own sub-namespaces.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["ScratchNet"] = [],
        ["ScratchNet.IO"] = [],
        ["ScratchNet.Threading"] = ["ScratchNet"],
        ["ScratchNet.Tensors"] = ["ScratchNet", "ScratchNet.Threading"],
        ["ScratchNet.Layers"] = ["ScratchNet", "ScratchNet.Threading", "ScratchNet.Tensors"],
        ["ScratchNet.Losses"] = ["ScratchNet", "ScratchNet.Tensors"],
        ["ScratchNet.Optimizers"] = ["ScratchNet", "ScratchNet.Threading", "ScratchNet.Tensors", "ScratchNet.Layers"],
        ["ScratchNet.Data"] = ["ScratchNet", "ScratchNet.IO", "ScratchNet.Tensors"],
        ["ScratchNet.Models"] = ["ScratchNet", "ScratchNet.Tensors", "ScratchNet.Layers", "ScratchNet.Losses"],
        ["ScratchNet.Serialization"] = ["ScratchNet", "ScratchNet.IO", "ScratchNet.Tensors", "ScratchNet.Layers", "ScratchNet.Optimizers", "ScratchNet.Data", "ScratchNet.Models"],
        ["ScratchNet.Training"] = ["ScratchNet", "ScratchNet.IO", "ScratchNet.Threading", "ScratchNet.Tensors", "ScratchNet.Layers", "ScratchNet.Losses",
            "ScratchNet.Optimizers", "ScratchNet.Data", "ScratchNet.Models", "ScratchNet.Serialization"],
        ["ScratchNet.Plotting"] = ["ScratchNet", "ScratchNet.IO", "ScratchNet.Tensors", "ScratchNet.Layers", "ScratchNet.Models"],
    };

    /// <summary>The layer a namespace belongs to: the longest entry of <see cref="Allowed"/> it starts with.</summary>
    private static string LayerOf(string ns) =>
        Allowed.Keys.Where(k => ns == k || ns.StartsWith(k + ".", StringComparison.Ordinal)).MaxBy(k => k.Length)
        ?? throw new InvalidOperationException($"namespace {ns} is in no layer: add it to ArchitectureTests.Allowed and docs/ARCHITECTURE.md");

    private static bool MayUse(string fromLayer, string toNamespace)
    {
        string to = LayerOf(toNamespace);
        return to == fromLayer || Allowed[fromLayer].Contains(to);
    }

    [Fact]
    public void NoSourceFileRefersToAHigherLayer()
    {
        string src = Path.Combine(Path.GetDirectoryName(TempFolder.RepoData)!, "src", "ScratchNet");
        var violations = new List<string>();
        int files = 0;
        foreach (string file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}")) continue;
            files++;
            string text = File.ReadAllText(file);
            Assert.DoesNotMatch(GlobalUsing(), text);
            var declared = NamespaceDeclaration().Match(text);
            Assert.True(declared.Success, $"{file} declares no file-scoped namespace");
            string layer = LayerOf(declared.Groups[1].Value);
            string body = text.Remove(declared.Index, declared.Length);
            foreach (Match m in Reference().Matches(body))
            {
                string target = m.Groups[1].Value;
                // A qualified name may go on into a type ("ScratchNet.Data.Standardizer"): the longest known namespace prefix counts.
                string ns = KnownNamespace(target);
                if (!MayUse(layer, ns)) violations.Add($"{Path.GetRelativePath(src, file)} ({layer}) refers to {ns}");
            }
        }
        Assert.True(files > 100, $"only {files} source files found under {src}");
        Assert.True(violations.Count == 0, "upward references:\n" + string.Join("\n", violations.Distinct()));
    }

    [Fact]
    public void NoTypeSignatureRefersToAHigherLayer()
    {
        var assembly = typeof(ScratchNet.Tensors.Tensor).Assembly;
        var violations = new List<string>();
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var type in assembly.GetTypes())
        {
            if (type.Namespace is not { } ns || !ns.StartsWith("ScratchNet", StringComparison.Ordinal) || type.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute))) continue;
            string layer = LayerOf(ns);
            var used = new List<Type>();
            if (type.BaseType is { } b) used.Add(b);
            used.AddRange(type.GetInterfaces());
            used.AddRange(type.GetFields(all).Select(f => f.FieldType));
            used.AddRange(type.GetProperties(all).Select(p => p.PropertyType));
            foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
            {
                used.AddRange(method.GetParameters().Select(p => p.ParameterType));
                if (method is MethodInfo mi) used.Add(mi.ReturnType);
            }
            foreach (var t in used.SelectMany(Flatten))
                if (t.Assembly == assembly && t.Namespace is { } target && !MayUse(layer, target))
                    violations.Add($"{type.FullName} ({layer}) uses {t.FullName}");
        }
        Assert.True(violations.Count == 0, "upward references:\n" + string.Join("\n", violations.Distinct()));
    }

    [Fact]
    public void TheCoreLibraryReferencesNoDeviceCode()
    {
        // ScratchNet.dll must load on any machine: ILGPU and ScratchNet.Gpu are the CLI's (and a user's) choice, never the core's.
        var references = typeof(ScratchNet.Tensors.Tensor).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").ToArray();
        Assert.DoesNotContain(references, name => name.StartsWith("ILGPU", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("ScratchNet.Gpu", references);
        Assert.Contains(references, name => name.StartsWith("System", StringComparison.Ordinal)); // the list is read at all
    }

    [Fact]
    public void TheLayerTableHasNoCycle()
    {
        foreach (var (layer, below) in Allowed)
            foreach (string other in below)
                Assert.False(Allowed[other].Contains(layer), $"{layer} and {other} may refer to each other");
    }

    /// <summary>A type and the types it is made of (array elements, generic arguments, by-ref targets).</summary>
    private static IEnumerable<Type> Flatten(Type t)
    {
        yield return t;
        if (t.HasElementType) foreach (var e in Flatten(t.GetElementType()!)) yield return e;
        if (t.IsGenericType) foreach (var a in t.GetGenericArguments().SelectMany(Flatten)) yield return a;
    }

    private static string KnownNamespace(string qualified)
    {
        var assembly = typeof(ScratchNet.Tensors.Tensor).Assembly;
        var namespaces = assembly.GetTypes().Select(t => t.Namespace).OfType<string>().ToHashSet();
        for (string s = qualified; ; s = s[..s.LastIndexOf('.')])
        {
            if (namespaces.Contains(s) || !s.Contains('.')) return s;
        }
    }

    [GeneratedRegex(@"^\s*global\s+using\b", RegexOptions.Multiline)]
    private static partial Regex GlobalUsing();

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    // "using ScratchNet.X;", "using static ScratchNet.X.Y;", "using A = ScratchNet.X.Y;" and any qualified
    // "ScratchNet.X.Y" in code, comments or XML docs.
    [GeneratedRegex(@"(?<![\w.])(?:global::)?(ScratchNet(?:\.[A-Z]\w*)+)")]
    private static partial Regex Reference();
}
