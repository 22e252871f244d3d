using ScratchNet.Data;
using ScratchNet.Playground.Lab;
using ScratchNet.Training;

namespace ScratchNet.Tests.Playground;

/// <summary>The playground's settings, data and export, without a browser.</summary>
public class PlaygroundLabTests
{
    [Fact]
    public void Settings_round_trip_through_the_query_string()
    {
        const string query = "data=drawn&classes=4&noise=0.35&n=800&train=70&seed=9&f=x1,x1%5E2,sin%28x2%29&net=3:relu,5:linear,2:sigmoid&dropout=0.2&l1=0.001&l2=0.01&opt=momentum&lr=0.3&batch=10&hide=data,export&pts=0.5,-0.25,0;-1,1,3";
        var problems = new List<string>();
        var s = Settings.FromQuery("?" + query, problems);
        Assert.Empty(problems);
        Assert.Equal(query, s.ToQuery());
        Assert.Equal([new LayerSetting(3, "relu"), new LayerSetting(5, "linear"), new LayerSetting(2, "sigmoid")], s.Layers);
        Assert.Equal([(0.5f, -0.25f, 0f), (-1f, 1f, 3f)], s.Drawn);
        Assert.Equal(new Settings().ToQuery(), Settings.FromQuery("", problems).ToQuery());
    }

    [Theory]
    [InlineData("lr=abc", "URL 'lr=abc': not a number from 1E-06 to 10")]
    [InlineData("lr=NaN", "URL 'lr=NaN': not a number from 1E-06 to 10")]
    [InlineData("net=99:tanh", "URL 'net=99:tanh': layer 1: '99' is not a width from 1 to 16")]
    [InlineData("net=4:swish", "URL 'net=4:swish': layer 1: 'swish' is not one of linear, relu, tanh, sigmoid, gelu, elu, leaky-relu")]
    [InlineData("data=mnist", "URL 'data=mnist': not one of circles, xor, gaussians, spirals, plane, bump, drawn, csv")]
    [InlineData("pts=5,5,0", "URL 'pts=5,5,0': point 1 '5,5,0' is not x1,x2,class with x1 and x2 in [-1, 1] and a class 0 to 4")]
    [InlineData("f=", "URL 'f=': no feature")]
    [InlineData("batch=0", "URL 'batch=0': not a whole number from 1 to 1000")]
    [InlineData("hide=everything", "URL 'hide=everything': 'everything' is not one of data, features, network, training, regularization, export")]
    public void A_bad_url_value_keeps_its_default_and_says_which_and_why(string query, string problem)
    {
        var problems = new List<string>();
        var s = Settings.FromQuery(query + "&opt=sgd", problems);
        Assert.Equal([problem], problems);
        Assert.Equal("sgd", s.Optimizer); // the good values still apply
        var defaults = new Settings { Optimizer = "sgd" };
        Assert.Equal(defaults.ToQuery(), s.ToQuery());
    }

    [Fact]
    public void A_csv_with_a_bad_cell_names_its_line_and_column()
    {
        var e = Assert.Throws<DataFormatException>(() => Points.FromCsv("a,b,label\n1,2,0\n3,x,1\n4,5,0\n6,7,1\n", "mine.csv", 50, 1));
        Assert.Contains("mine.csv", e.Message);
        Assert.Contains("line 3", e.Message);
        Assert.Contains("'x' is not a number", e.Message);
        Assert.Contains("has 2 columns", Assert.Throws<DataFormatException>(() => Points.FromCsv("a,b\n1,2\n", "two.csv", 50, 1)).Message);
    }

    [Fact]
    public void A_csv_of_whole_labels_is_classification_and_of_other_numbers_regression()
    {
        var classes = Points.FromCsv("a,b,label\n-10,2,0\n3,4,2\n5,-6,1\n7,8,0\n", "c.csv", 50, 1);
        Assert.Equal(3, classes.ClassCount);
        Assert.Equal(-1f, classes.X1[0]); // scaled into [-1, 1] by the largest |coordinate|
        Assert.Equal(2, classes.IsTest.Count(t => t));
        var values = Points.FromCsv("a,b,y\n1,2,0.5\n3,4,1.5\n5,6,2\n7,8,3\n", "r.csv", 50, 1);
        Assert.Equal(0, values.ClassCount);
    }

    [Fact]
    public void Sessions_of_one_setup_train_to_the_same_bits_and_the_model_file_predicts_as_the_session()
    {
        var s = Settings.FromQuery("data=spirals&classes=3&n=120&net=5:tanh,4:relu&dropout=0.1&l1=0.001&lr=0.03&f=x1,x2,sin(x1)", []);
        Session a = Session.Start(s, null), b = Session.Start(s, null);
        for (int e = 1; e <= 3; e++) { a.TrainFor(TimeSpan.Zero); Assert.Equal(e, a.Epoch); } // one epoch per call
        for (int e = 1; e <= 3; e++) b.TrainFor(TimeSpan.Zero);
        Assert.Equal(a.Model.Parameters.SelectMany(p => p.Value.ToArray()), b.Model.Parameters.SelectMany(p => p.Value.ToArray()));
        Assert.All(a.History.Epochs, m => Assert.True(double.IsFinite(m.TestLoss)));

        using var temp = new ScratchNet.Tests.Data.TempFolder();
        string path = Path.Combine(temp.Path, "model.safetensors");
        File.WriteAllBytes(path, Export.ModelBytes(a));
        var (model, meta) = ScratchNet.Serialization.ModelFile.Load(path);
        Assert.Equal(["x1", "x2", "sin(x1)"], meta.FeatureNames);
        Assert.Equal("classification", meta.Task);
        var x = FeatureMap.Inputs(s.Features, a.Points.X1, a.Points.X2);
        Assert.Equal(Evaluation.Predict(a.Model, x).ToArray(), Evaluation.Predict(model, x).ToArray());
        string[] csv = Export.DataCsv(a).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("x1,x2,sin(x1),label,set,predicted", csv[0]);
        Assert.Equal(121, csv.Length);
    }

    [Fact]
    public void The_command_line_names_the_network_and_says_when_it_cannot_hold_the_activations()
    {
        var same = Session.Start(Settings.FromQuery("data=xor&n=40&net=3:relu,2:relu&l2=0.01&f=x1,x2,x1*x2", []), null);
        same.TrainFor(TimeSpan.Zero);
        var (command, note) = Export.CommandLine(same);
        Assert.Equal("scratchnet train --dataset playground-data.csv --target label --features 'x1,x2,x1*x2' --layers 3,2 --activation relu --optimizer adam --lr 0.01 --batch-size 16 --l2 0.01 --epochs 1 --seed 1", command);
        Assert.Null(note);
        var mixed = Session.Start(Settings.FromQuery("data=xor&n=40&net=3:relu,2:tanh", []), null);
        Assert.Equal("The command takes one activation for every hidden layer: it uses relu, the page has relu, tanh.", Export.CommandLine(mixed).Note);
    }
}
