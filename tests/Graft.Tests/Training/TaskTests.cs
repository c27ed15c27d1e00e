using Graft.Data;
using System.Text.Json;
using Graft.Training;
using Graft.Training.Strategies;
using Graft.Training.Tasks;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Graft.Tests.Training;

[Collection("Training")]
public class TaskTests(ITestOutputHelper output)
{
    private const string OracleScript = """
        import math, json, torch
        import torch.nn.functional as F
        logits = torch.tensor([math.sin(0.7 * i) * 3 for i in range(12)], dtype=torch.float32).reshape(4, 3)
        classes = torch.tensor([0, 2, 1, 2])
        multi = torch.tensor([1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 1, 0], dtype=torch.float32).reshape(4, 3)
        values = torch.tensor([math.cos(0.3 * i) * 2 for i in range(12)], dtype=torch.float32).reshape(4, 3)
        print(json.dumps({
          'ce': F.cross_entropy(logits, classes).item(),
          'ce_smooth': F.cross_entropy(logits, classes, label_smoothing=0.1).item(),
          'bce': F.binary_cross_entropy_with_logits(logits, multi).item(),
          'mse': F.mse_loss(logits, values).item(),
          'mae': F.l1_loss(logits, values).item(),
          'huber': F.huber_loss(logits, values, delta=0.5).item(),
        }))
        """;

    [Fact]
    public void LossesMatchPyTorch()
    {
        var expected = JsonSerializer.Deserialize<Dictionary<string, double>>(PyTorchOracle.Run(OracleScript))!;
        var logits = tensor(Enumerable.Range(0, 12).Select(i => (float)(Math.Sin(0.7 * i) * 3)).ToArray(), [4, 3]);
        var classes = tensor(new long[] { 0, 2, 1, 2 });
        var multi = tensor(new float[] { 1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 1, 0 }, [4, 3]);
        var values = tensor(Enumerable.Range(0, 12).Select(i => (float)(Math.Cos(0.3 * i) * 2)).ToArray(), [4, 3]);
        var actual = new Dictionary<string, double>
        {
            ["ce"] = new Classification().Loss(logits, classes).item<float>(),
            ["ce_smooth"] = new Classification(LabelSmoothing: 0.1).Loss(logits, classes).item<float>(),
            ["bce"] = new MultiLabel().Loss(logits, multi).item<float>(),
            ["mse"] = new Regression().Loss(logits, values).item<float>(),
            ["mae"] = new Regression(RegressionLoss.Mae).Loss(logits, values).item<float>(),
            ["huber"] = new Regression(RegressionLoss.Huber, HuberDelta: 0.5).Loss(logits, values).item<float>(),
        };
        foreach (var (name, value) in expected) Assert.True(Math.Abs(actual[name] - value) <= 1e-6 * Math.Max(1, Math.Abs(value)), $"{name}: {actual[name]} vs PyTorch {value}");
        Assert.NotEqual(actual["ce"], actual["ce_smooth"]);
    }

    [Fact]
    public void TasksRoundTripThroughTheirJson()
    {
        LearningTask[] tasks = [new Classification(0.1, 3), new MultiLabel(0.3), new Regression(RegressionLoss.Huber, 2)];
        foreach (var task in tasks) Assert.Equal(task, LearningTask.FromJson(task.ToJson()));
        Assert.Throws<FormatException>(() => LearningTask.FromJson("""{"kind":"ranking"}"""));
    }

    [Fact]
    public void MultiLabelFeatureExtractionLearnsSeveralLabelsPerPicture()
    {
        // Labels per picture: round, has a horizontal stroke, has a vertical stroke.
        float[][] labels = [[0, 1, 1], [1, 0, 0], [0, 1, 1], [0, 1, 0], [0, 0, 1], [1, 0, 0]];
        Tensor MultiHot(Tensor shapes) => tensor(shapes.data<long>().ToArray().SelectMany(s => labels[s]).ToArray(), [shapes.shape[0], 3]);
        var (x, shapes) = Shapes.Generate(240, seed: 101);
        var (vx, vshapes) = Shapes.Generate(150, seed: 102);
        var network = Transfer.FromBase(Pretrained.SixShapeNetwork(), 3);
        using var learner = new Learner(network, new TensorBatchSource(x, MultiHot(shapes), 24, seed: 1),
            new TensorBatchSource(vx, MultiHot(vshapes), 75, shuffle: false), new MultiLabel(), new TrainOptions { LearningRate = 1e-2, Seed = 3 });

        var result = learner.Run(new FeatureExtraction(Epochs: 15));

        double f1 = result.Last!["val_f1"];
        output.WriteLine($"multi-label validation F1 {f1:F3}, accuracy {result.Last!["val_accuracy"]:F3}");
        Assert.True(f1 > 0.8, $"multi-label validation F1 {f1:F3}");
        using var probabilities = learner.Predict(vx);
        Assert.True(probabilities.min().item<float>() >= 0 && probabilities.max().item<float>() <= 1);
    }
}
