using Graft.Data;
using Graft.Layers;
using Graft.Training;
using static TorchSharp.torch;

namespace Graft.Tests.Training;

[Collection("Training")]
public class LrFinderTests
{
    [Fact]
    public void RestoresWeightsStatisticsOptimizerRatesRandomStateAndModesBitwise()
    {
        var (x, shapes) = Shapes.Generate(96, seed: 71);
        var network = TinyCnn.Create(3, seed: 4, dropout: 0.2);
        network.Unfreeze(batchNormTraining: true); // BatchNorm statistics would move during the sweep
        using var learner = new Learner(network, new TensorBatchSource(x, Shapes.Family(shapes), 16, seed: 2),
            options: new TrainOptions { LearningRate = 2e-3, BaseLearningRateScale = 0.5 });
        learner.Fit(1); // the optimizer now has state to protect
        network.train();
        network.Layers["bn2"].Module.eval();

        var weights = Bits.Of(network);
        using var optimizer = learner.Optimizer.GetState();
        var optimizerBits = optimizer.Tensors.ToDictionary(kv => kv.Key, kv => kv.Value.bytes.ToArray());
        var rates = learner.Optimizer.Groups.Select(g => (g.LearningRate, g.LearningRateScale)).ToArray();
        var random = get_rng_state().bytes.ToArray();

        var result = learner.FindLearningRate(new LrFinderOptions(Steps: 40));

        Assert.InRange(result.Points.Count, 5, 40);
        var now = Bits.Of(network);
        Assert.All(weights, kv => Assert.True(Bits.Same(kv.Value, now[kv.Key]), $"{kv.Key} not restored"));
        using var optimizerAfter = learner.Optimizer.GetState();
        Assert.Equal(optimizer.Steps, optimizerAfter.Steps);
        Assert.All(optimizerBits, kv => Assert.True(Bits.Same(kv.Value, optimizerAfter.Tensors[kv.Key].bytes.ToArray()), kv.Key));
        Assert.Equal(rates, learner.Optimizer.Groups.Select(g => (g.LearningRate, g.LearningRateScale)));
        Assert.Equal(random, get_rng_state().bytes.ToArray());
        Assert.True(network.training);
        Assert.False(network.Layers["bn2"].Module.training);
        Assert.All(network.parameters(), p => Assert.Null(p.grad));
    }

    [Fact]
    public void SweepsExponentiallyStopsOnDivergenceAndSuggestsARateBelowIt()
    {
        var (x, shapes) = Shapes.Generate(160, seed: 72);
        var network = TinyCnn.Create(3, seed: 5);
        using var learner = new Learner(network, new TensorBatchSource(x, Shapes.Family(shapes), 16, seed: 3));

        var result = learner.FindLearningRate(new LrFinderOptions(StartLearningRate: 1e-6, EndLearningRate: 100, Steps: 100));

        var rates = result.Points.Select(p => p.LearningRate).ToArray();
        Assert.Equal(1e-6, rates[0], 12);
        for (int i = 1; i < rates.Length; i++) Assert.Equal(Math.Pow(1e8, 1 / 99.0), rates[i] / rates[i - 1], 9);
        Assert.True(result.Diverged, "Adam at rates up to 100 should blow the loss up");
        Assert.True(result.Points.Count < 100);
        Assert.InRange(result.Suggested, 1e-6, rates[^1]);
        Assert.InRange(result.MinimumOverTen, 1e-7, rates[^1] / 10);
        double lowest = result.Points.Min(p => p.SmoothedLoss);
        Assert.True(lowest < result.Points[0].SmoothedLoss, "the smoothed loss should fall before it diverges");
    }
}
