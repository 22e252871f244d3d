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
        Assert.Equal(["tv-marketing", "xor", "mnist-mlp", "fashion-mlp", "mnist-mlp-plus", "fashion-mlp-plus", "mnist-cnn", "fashion-cnn", "spirals", "circles", "moons"], PresetCatalog.Names);
    }
}
