using ScratchNet.Serialization;
using ScratchNet.Tests.Data;

namespace ScratchNet.Tests.Hostile;

/// <summary>
/// Model files whose graph is hostile or broken: each is refused with one line that names the file and
/// what is wrong, before any layer is built, within a small allocation bound.
/// </summary>
public class GraphHostileTests
{
    private const long FourMiB = 4L << 20;

    private static string Node(string name, string type, params string[] inputs) =>
        "{\"name\":\"" + name + "\",\"type\":\"" + type + "\",\"settings\":{" + (type == "Dense" ? "\"units\":\"2\"" : "") + "},\"inputs\":["
        + string.Join(",", inputs.Select(i => "\"" + i + "\"")) + "]}";

    private static string Graph(string nodes, string outputs = "\"out\"", string inputs = """{"name":"x","shape":[2]}""") =>
        "{\"input_shape\":[2],\"graph\":{\"inputs\":[" + inputs + "],\"nodes\":[" + nodes + "],\"outputs\":[" + outputs + "]}}";

    public static TheoryData<string, string, string> Cases => new()
    {
        { "a cycle", Graph(string.Join(",", Node("a", "ReLU", "b"), Node("b", "Tanh", "a"), Node("out", "Add", "x", "a"))),
            "the graph has a cycle: 'a', 'b', 'out' read themselves through other nodes" },
        { "a node that reads itself", Graph(Node("out", "Add", "x", "out")), "the graph has a cycle: 'out'" },
        { "an unknown input name", Graph(Node("out", "Dense", "nowhere")), "node 'out' reads 'nowhere', which is no node or input of the graph" },
        { "an unknown output name", Graph(Node("h", "Dense", "x"), "\"missing\""), "output 'missing' is no node of the graph" },
        { "a dangling node", Graph(string.Join(",", Node("lost", "ReLU", "x"), Node("out", "Dense", "x"))), "node 'lost' leads to no output of the graph" },
        { "an unused input", Graph(Node("out", "Dense", "x"), inputs: """{"name":"x","shape":[2]},{"name":"spare","shape":[3]}"""),
            "Input 'spare' (3) is used by no output of the graph" },
        { "two nodes of one name", Graph(string.Join(",", Node("out", "ReLU", "x"), Node("out", "Tanh", "x"))), "two nodes are named 'out'" },
        { "a name that would break a tensor name", Graph(Node("a.weight", "Dense", "x"), "\"a.weight\""), "Node name 'a.weight' is not 1 to 64 letters, digits, '_' or '-'" },
        { "a layer of two inputs", Graph(Node("out", "Dense", "x", "x")), "node 'out' (Dense) reads 2 nodes; a layer reads one, a merge two or more" },
        { "a merge of one input", Graph(Node("out", "Concatenate", "x")), "node 'out' (Concatenate) reads 1 nodes" },
        { "a merge of mismatched shapes", Graph(string.Join(",", Node("h", "Dense", "x"), Node("wide", "Flatten", "x"), Node("out", "Add", "h", "wide")), inputs: """{"name":"x","shape":[3]}""").Replace("\"input_shape\":[2]", "\"input_shape\":[3]"),
            "the graph cannot be rebuilt: Node 'out' (Add) cannot take 'h' (2) and 'wide' (3): Add needs inputs of one shape" },
        { "an unknown layer type", Graph(Node("out", "Teleport", "x")), "node 'out' (Teleport) cannot be made" },
        { "input_shape not the graph's input", Graph(Node("out", "Dense", "x")).Replace("\"input_shape\":[2]", "\"input_shape\":[5]"),
            "input_shape (5) is not the shape of the graph's first input (2)" },
        { "nodes not an array", """{"input_shape":[2],"graph":{"inputs":[],"nodes":{},"outputs":[]}}""", "graph.nodes is not an array" },
        { "a node name that is a number", """{"input_shape":[2],"graph":{"inputs":[{"name":"x","shape":[2]}],"nodes":[{"name":7,"type":"ReLU","inputs":["x"]}],"outputs":["x"]}}""",
            "a node's name is not a string" },
        { "a huge parameter count in a tiny file", Graph(Node("out", "Dense", "x")).Replace("\"units\":\"2\"", "\"units\":\"400000000\""),
            "the graph needs at least 4,800,000,000 bytes of parameters by node 'out'" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_broken_graph_is_refused_in_one_line(string what, string architecture, string expected)
    {
        using var dir = new TempFolder();
        string path = Refusal.ModelFile(dir, architecture);
        var e = Refusal.Library<ModelFileException>(expected, FourMiB, () => ModelFile.LoadModel(path));
        Assert.True(e.Message.StartsWith(path + ": ", StringComparison.Ordinal), $"{what}: {e.Message}");
    }

    [Fact]
    public void More_nodes_than_the_cap_are_refused_before_any_is_read()
    {
        using var dir = new TempFolder();
        var nodes = Enumerable.Range(0, Limits.MaxGraphNodes + 1).Select(i => Node($"n{i}", "ReLU", i == 0 ? "x" : $"n{i - 1}"));
        string path = Refusal.ModelFile(dir, Graph(string.Join(",", nodes), $"\"n{Limits.MaxGraphNodes}\""));
        Refusal.Library<ModelFileException>($"graph.nodes lists 1,025 entries (at most 1,024, Limits.MaxGraphNodes)", FourMiB, () => ModelFile.LoadModel(path));
    }

    [Fact]
    public void A_graph_file_given_to_the_sequential_loader_says_what_it_is()
    {
        using var dir = new TempFolder();
        string path = Refusal.ModelFile(dir, Graph(Node("out", "ReLU", "x")));
        Refusal.Library<ModelFileException>("it holds a graph model (nodes and edges), not a Sequential stack of layers", FourMiB, () => ModelFile.Load(path));
    }

    [Fact]
    public void A_deep_chain_within_the_cap_loads_without_recursion()
    {
        using var dir = new TempFolder();
        int n = Limits.MaxGraphNodes - 1;
        var nodes = Enumerable.Range(0, n).Select(i => Node($"n{i}", "ReLU", i == 0 ? "x" : $"n{i - 1}"));
        string path = Refusal.ModelFile(dir, Graph(string.Join(",", nodes), $"\"n{n - 1}\""));
        var (model, _) = ModelFile.LoadModel(path);
        Assert.Equal(n + 1, ((ScratchNet.Models.GraphModel)model).NodeNames.Count);
    }
}
