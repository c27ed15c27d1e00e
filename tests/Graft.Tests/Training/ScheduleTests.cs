using Graft.Training.Schedules;

namespace Graft.Tests.Training;

public class ScheduleTests
{
    [Fact]
    public void OneCycleRisesToThePeakThenAnnealsToPeakOverFinalDivisor()
    {
        var schedule = new OneCycleSchedule();
        const long total = 1001;
        Assert.Equal(1 / 25.0, schedule.Factor(0, total), 12);
        Assert.Equal(1.0, schedule.Factor(250, total), 12); // end of the 25 % warm-up
        Assert.Equal(1e-5, schedule.Factor(total - 1, total), 12);
        var factors = Enumerable.Range(0, (int)total).Select(s => schedule.Factor(s, total)).ToArray();
        for (int i = 1; i <= 250; i++) Assert.True(factors[i] >= factors[i - 1]);
        for (int i = 251; i < total; i++) Assert.True(factors[i] <= factors[i - 1]);
        // Half-way through the annealing the cosine is at the mid-point between peak and final.
        Assert.Equal((1 + 1e-5) / 2, schedule.Factor(625, total), 9);
    }

    [Fact]
    public void CosineWarmsUpLinearlyThenDecaysToTheFinalFactor()
    {
        var schedule = new CosineSchedule(WarmupFraction: 0.1, FinalFactor: 0.01);
        Assert.Equal(0.1, schedule.Factor(0, 100), 12);
        Assert.Equal(1.0, schedule.Factor(9, 100), 12);
        Assert.Equal(1.0, schedule.Factor(10, 100), 12);
        Assert.Equal(0.01, schedule.Factor(99, 100), 12);
    }

    [Fact]
    public void StepDecayMultipliesEveryStepSizeSteps()
    {
        var schedule = new StepSchedule(StepSize: 10, Gamma: 0.5);
        Assert.Equal(1.0, schedule.Factor(9, 100));
        Assert.Equal(0.5, schedule.Factor(10, 100));
        Assert.Equal(0.125, schedule.Factor(35, 100));
        Assert.Equal(1.0, LearningRateSchedule.Constant.Factor(77, 100));
    }
}
