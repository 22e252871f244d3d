using ScratchNet.Serialization;
using ScratchNet.Tensors;
using ScratchNet.Tests.Data;

namespace ScratchNet.Tests.Serialization;

public class CheckpointTests
{
    [Fact]
    public void RoundTripRestoresWeightsOptimizerRngsAndPosition()
    {
        using var dir = new TempFolder();
        var model = TestModels.Mlp(seed: 3);
        var opt = new TestMomentum(0.05f);
        var shuffle = new Rng(99);
        var x = TestModels.RandomInput(8, 5, 1);
        for (int i = 0; i < 4; i++) TestModels.Step(model, opt, x);
        shuffle.Permutation(10);

        var state = CheckpointState.Capture(model, opt, new Dictionary<string, Rng> { ["shuffle"] = shuffle }, epoch: 2, batchInEpoch: 1, globalStep: 4);
        state.Schedule["step"] = 4; state.Schedule["best_loss"] = 0.1 + 0.2; // a double that needs all 17 digits
        state.Settings["dataset"] = "toy"; state.Settings["epochs"] = "5";
        state.ExtraTensors["best.layers.0.weight"] = Tensor.Full(0.5f, 2);
        state.IntArrays["order"] = [3, 1, 2, 0, int.MaxValue];
        Checkpoint.Save(dir.Path, state);
        Assert.Equal([Checkpoint.FileName], dir.Files());

        var loaded = Checkpoint.Load(dir.Path);
        Assert.Equal(2, loaded.Epoch);
        Assert.Equal(1, loaded.BatchInEpoch);
        Assert.Equal(4, loaded.GlobalStep);
        Assert.Equal(4, loaded.OptimizerStepCount);
        Assert.Equal("TestMomentum", loaded.OptimizerName);
        Assert.Equal(0.1 + 0.2, loaded.Schedule["best_loss"]);
        Assert.Equal("toy", loaded.Settings["dataset"]);
        Assert.Equal(0.5f, loaded.ExtraTensors["best.layers.0.weight"][1]);
        Assert.Equal([3, 1, 2, 0, int.MaxValue], loaded.IntArrays["order"]);
        Assert.Equal(state.RngStates.Keys.Order(), loaded.RngStates.Keys.Order());
        Assert.Contains("layers.3.rng", loaded.RngStates.Keys); // the Dropout layer's generator
        foreach (var (k, v) in state.RngStates) Assert.Equal(v, loaded.RngStates[k]);
        foreach (var (k, v) in state.Weights) Assert.Equal(TestModels.Bits(v), TestModels.Bits(loaded.Weights[k]));
        foreach (var (k, v) in state.OptimizerState) Assert.Equal(TestModels.Bits(v), TestModels.Bits(loaded.OptimizerState[k]));

        // Continuing from the restored state gives the same bits as continuing the original.
        var model2 = loaded.BuildModel();
        var opt2 = new TestMomentum(0.05f);
        loaded.RestoreOptimizer(opt2);
        var shuffle2 = new Rng(1);
        loaded.RestoreRng("shuffle", shuffle2);
        for (int i = 0; i < 3; i++) { TestModels.Step(model, opt, x); TestModels.Step(model2, opt2, x); }
        Assert.Equal(shuffle.NextUInt64(), shuffle2.NextUInt64());
        Assert.Equal(TestModels.Bits(model.Forward(x).Clone()), TestModels.Bits(model2.Forward(x)));
        Assert.Equal(opt.StepCount, opt2.StepCount);
    }

    [Fact]
    public void AFailedSaveKeepsThePreviousCheckpoint()
    {
        using var dir = new TempFolder();
        var model = TestModels.Mlp();
        Checkpoint.Save(dir.Path, CheckpointState.Capture(model, null, null, epoch: 1));
        var bad = CheckpointState.Capture(model, null, null, epoch: 2);
        bad.Model!.Extra["architecture"] = "reserved key: the save throws";
        Assert.Throws<ArgumentException>(() => Checkpoint.Save(dir.Path, bad));
        Assert.Equal(1, Checkpoint.Load(dir.Path).Epoch);
        Assert.Equal([Checkpoint.FileName], dir.Files());
    }

    [Fact]
    public void OptimizerMismatchIsRefused()
    {
        using var dir = new TempFolder();
        var model = TestModels.Mlp();
        Checkpoint.Save(dir.Path, CheckpointState.Capture(model, new TestMomentum(0.1f), null, epoch: 1));
        var e = Assert.Throws<ModelFileException>(() => Checkpoint.Load(dir.Path).RestoreOptimizer(new OtherOptimizer()));
        Assert.Equal("checkpoint: the checkpoint's optimizer is TestMomentum, the run uses OtherOptimizer", e.Message);
    }

    [Fact]
    public void AModelFileIsNotACheckpoint()
    {
        using var dir = new TempFolder();
        ModelFile.Save(dir.File(Checkpoint.FileName), TestModels.Mlp());
        var e = Assert.Throws<ModelFileException>(() => Checkpoint.Load(dir.Path));
        Assert.EndsWith("not a ScratchNet checkpoint (its __metadata__ has no format 'scratchnet-checkpoint')", e.Message);
    }

    [Fact]
    public void MissingCheckpoint()
    {
        using var dir = new TempFolder();
        var e = Assert.Throws<ModelFileException>(() => Checkpoint.Load(dir.Path));
        Assert.Equal($"{Path.Combine(dir.Path, Checkpoint.FileName)}: file not found", e.Message);
        Assert.False(Checkpoint.Exists(dir.Path));
    }

    private sealed class OtherOptimizer() : ScratchNet.Optimizers.Optimizer(0.1f)
    {
        public override void Step(IReadOnlyList<ScratchNet.Layers.Parameter> parameters) { }
    }
}
