using ScratchNet.Training;
using ScratchNet.Training.Presets;

namespace ScratchNet.Tests.Training;

public class PresetTests
{
    [Fact]
    public void TvMarketing_recovers_the_least_squares_line()
    {
        var result = TrainingJob.Run(PresetCatalog.TvMarketing);
        // Ordinary least squares on tvmarketing.csv: Sales = 7.0326 + 0.047537 · TV (4 significant digits).
        Assert.Equal(7.0326, result.Extras["intercept"], 0.0005);
        Assert.Equal(0.047537, result.Extras["slope"], 0.0000005);
    }

    /// <summary>The same line with the target standardised too: the model learns z = (Sales - m)/s and the line is restored to Sales.</summary>
    [Fact]
    public void TvMarketing_with_a_standardised_target_recovers_the_same_line()
    {
        var result = TrainingJob.Run(PresetCatalog.TvMarketing with { Data = PresetCatalog.TvMarketing.Data with { StandardizeTarget = true } });
        Assert.NotNull(result.Data.Encoding!.Target);
        Assert.Equal(7.0326, result.Extras["intercept"], 0.0005);
        Assert.Equal(0.047537, result.Extras["slope"], 0.0000005);
        Assert.Equal(result.Test.RootMeanSquaredError * result.Test.RootMeanSquaredError, result.Test.Loss, 1e-3);
    }

    /// <summary>
    /// The table presets' data as loaded (no training): ames 73 columns, 40 of them text, 314 inputs;
    /// house-prices-2: Gr_Liv_Area and Overall_Cond, whose 9 ratings are text here (1 + 9 inputs); churn
    /// 19 columns, 10 text, 40 inputs, its 11 NA cells of total_charges filled; a held-out fifth.
    /// </summary>
    [Theory]
    [InlineData("house-prices", 2930, 73, 314, false)]
    [InlineData("house-prices-2", 2930, 2, 10, false)]
    [InlineData("churn", 7043, 19, 40, true)]
    public void Table_presets_load_their_tables(string name, int rows, int columns, int inputs, bool classification)
    {
        var recipe = PresetCatalog.Get(name);
        var data = recipe.Data.Load(new ScratchNet.Data.DatasetManager(), recipe.Seed);
        Assert.Equal(rows, data.Train.Count + data.Test.Count);
        Assert.Equal(rows / 5, data.Test.Count, 1.0);
        Assert.Equal(columns, data.Encoding!.Columns.Count);
        Assert.Equal(inputs, data.Encoding.Width);
        Assert.Equal(classification, data.Train.ClassCount == 2);
        Assert.Equal(classification, data.Encoding.Target is null);
    }

    [Fact]
    public void Xor_is_solved_for_at_least_95_of_100_seeds()
    {
        int solved = 0;
        var failures = new List<ulong>();
        for (ulong seed = 1; seed <= 100; seed++)
        {
            var result = TrainingJob.Run(PresetCatalog.Xor with { Seed = seed });
            if (result.Test.Accuracy == 1.0) solved++; else failures.Add(seed);
        }
        Assert.True(solved >= 95, $"xor solved for {solved}/100 seeds; failed: {string.Join(", ", failures)}");
    }

    [Fact]
    public void Unknown_preset_lists_the_known_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => PresetCatalog.Get("mnist-cnn-huge"));
        Assert.Contains("mnist-mlp", e.Message);
        Assert.Equal(["tv-marketing", "xor", "mnist-mlp", "fashion-mlp", "mnist-mlp-plus", "fashion-mlp-plus", "mnist-cnn", "fashion-cnn", "spirals", "circles", "moons", "house-prices", "house-prices-2", "churn",
            "names-bigram", "names-mlp", "names-rnn", "names-lstm", "names-gru", "names-transformer", "shakespeare-gpt", "mnist-autoencoder", "mnist-vae", "mnist-vae-2d", "mnist-gan"], PresetCatalog.Names);
    }
}
