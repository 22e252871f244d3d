using ScratchNet.Training.Schedules;

namespace ScratchNet.Tests.Training;

public class ScheduleTests
{
    private static float[] RatesPerEpoch(LearningRateSchedule s, int epochs, int stepsPerEpoch = 1)
    {
        s.StepsPerEpoch = stepsPerEpoch;
        var rates = new List<float>();
        for (int e = 0; e < epochs; e++)
        {
            rates.Add(s.CurrentRate);
            for (int k = 0; k < stepsPerEpoch; k++) s.AdvanceStep();
            s.AdvanceEpoch(1.0);
        }
        return rates.ToArray();
    }

    [Fact]
    public void Constant_stays_at_base()
    {
        Assert.Equal([0.1f, 0.1f, 0.1f], RatesPerEpoch(new ConstantSchedule { BaseRate = 0.1f }, 3));
    }

    [Fact]
    public void StepDecay_multiplies_by_gamma_every_step_size_epochs()
    {
        // η₀ γ^⌊e/2⌋ with η₀ = 1, γ = 0.5: 1, 1, 0.5, 0.5, 0.25
        Assert.Equal([1f, 1f, 0.5f, 0.5f, 0.25f], RatesPerEpoch(new StepDecaySchedule(2, 0.5f) { BaseRate = 1f }, 5));
    }

    [Fact]
    public void Exponential_multiplies_by_gamma_each_epoch()
    {
        var r = RatesPerEpoch(new ExponentialSchedule(0.9f) { BaseRate = 2f }, 4);
        Assert.Equal(new[] { 2f, 1.8f, 1.62f, 1.458f }, r, (a, b) => Math.Abs(a - b) < 1e-6f);
    }

    [Fact]
    public void Cosine_warms_up_linearly_then_anneals()
    {
        var s = new CosineAnnealingSchedule(totalEpochs: 3, warmupEpochs: 1, minRate: 0) { BaseRate = 1f, StepsPerEpoch = 4 };
        var rates = new List<float>();
        for (int k = 0; k < 13; k++) { rates.Add(s.CurrentRate); s.AdvanceStep(); }
        // Warm-up W = 4 steps: (s+1)/4 = 0.25, 0.5, 0.75, 1
        Assert.Equal([0.25f, 0.5f, 0.75f, 1f], rates.Take(4));
        // Then T - W = 8 steps: (1 + cos(π p))/2 with p = (s - 4)/8: s=4 → 1, s=6 → (1+cos(π/4))/2 = 0.8535534,
        // s=8 → 0.5, s=12 → 0 (and stays there)
        Assert.Equal(1f, rates[4], 1e-6f);
        Assert.Equal(0.8535534f, rates[6], 1e-6f);
        Assert.Equal(0.5f, rates[8], 1e-6f);
        Assert.Equal(0f, rates[12], 1e-6f);
    }

    [Fact]
    public void ReduceOnPlateau_reduces_after_patience_and_saves_its_state()
    {
        var s = new ReduceOnPlateauSchedule(factor: 0.5f, patience: 1, minDelta: 0.01f) { BaseRate = 1f };
        double[] losses = [1.0, 0.5, 0.495, 0.6, 0.4, 0.45, 0.44];
        var rates = new List<float>();
        foreach (double l in losses) { s.AdvanceEpoch(l); rates.Add(s.CurrentRate); }
        // best 1.0, 0.5; 0.495 is not better by 0.01 (bad 1); 0.6 bad 2 > patience 1 → η = 0.5;
        // 0.4 improves; 0.45 bad 1; 0.44 bad 2 → η = 0.25
        Assert.Equal([1f, 1f, 1f, 0.5f, 0.5f, 0.5f, 0.25f], rates);

        var copy = new ReduceOnPlateauSchedule(factor: 0.5f, patience: 1, minDelta: 0.01f);
        copy.SetState(s.GetState());
        Assert.Equal(s.CurrentRate, copy.CurrentRate);
        Assert.Equal(s.Epoch, copy.Epoch);
        s.AdvanceEpoch(0.5); copy.AdvanceEpoch(0.5);
        Assert.Equal(s.CurrentRate, copy.CurrentRate);
    }

    [Fact]
    public void Position_round_trips()
    {
        var s = new CosineAnnealingSchedule(10) { BaseRate = 0.1f, StepsPerEpoch = 7 };
        for (int k = 0; k < 23; k++) s.AdvanceStep();
        s.AdvanceEpoch(0); s.AdvanceEpoch(0); s.AdvanceEpoch(0);
        var t = new CosineAnnealingSchedule(10) { StepsPerEpoch = 7 };
        t.SetState(s.GetState());
        Assert.Equal(23, t.Step);
        Assert.Equal(3, t.Epoch);
        Assert.Equal(s.CurrentRate, t.CurrentRate);
    }
}
