using Graft.Training.Metrics;
using static TorchSharp.torch;

namespace Graft.Tests.Training;

public class MetricTests
{
    // Targets and predictions chosen so every count is known: class 0 → predicted 0,0,1; class 1 → 1,1; class 2 → 0,2,2,2.
    private static readonly long[] Targets = [0, 0, 0, 1, 1, 2, 2, 2, 2];
    private static readonly long[] Predicted = [0, 0, 1, 1, 1, 0, 2, 2, 2];

    private static Tensor Logits(long[] predicted, int classes = 3) =>
        nn.functional.one_hot(tensor(predicted), classes).to_type(ScalarType.Float32) * 5;

    [Theory]
    [InlineData(3L)]
    [InlineData(-1L)]
    [InlineData(7L)]
    public void ConfusionMatrixRefusesATargetOutsideItsClassesAndNamesTheRange(long bad)
    {
        var matrix = new ConfusionMatrix(3);
        var error = Assert.Throws<ArgumentException>(() => matrix.Update(Logits([0, 1, 2]), tensor(new long[] { 0, bad, 2 })));
        Assert.Contains($"[{Math.Min(0, bad)}, {Math.Max(2, bad)}]", error.Message);
        Assert.Contains("3 classes", error.Message);
        Assert.Equal(0, matrix.Total);
    }

    [Fact]
    public void ConfusionMatrixCountsAndPerClassScores()
    {
        var matrix = new ConfusionMatrix();
        matrix.Update(Logits(Predicted[..4]), tensor(Targets[..4]));
        matrix.Update(Logits(Predicted[4..]), tensor(Targets[4..]));
        Assert.Equal(3, matrix.Classes);
        long[,] expected = { { 2, 1, 0 }, { 0, 2, 0 }, { 1, 0, 3 } };
        Assert.Equal(expected, matrix.ToArray());
        Assert.Equal(2 / 3.0, matrix.Precision(0), 12);
        Assert.Equal(2 / 3.0, matrix.Recall(0), 12);
        Assert.Equal(2 / 3.0, matrix.Precision(1), 12);
        Assert.Equal(1.0, matrix.Recall(1), 12);
        Assert.Equal(0.8, matrix.F1(1), 12);
        Assert.Equal(1.0, matrix.Precision(2), 12);
        Assert.Equal(0.75, matrix.Recall(2), 12);
        Assert.Equal((2 / 3.0 + 0.8 + 6 / 7.0) / 3, matrix.MacroF1, 12);
    }

    [Fact]
    public void AccuracyAndTopK()
    {
        var accuracy = new Accuracy();
        accuracy.Update(Logits(Predicted), tensor(Targets));
        var values = new MetricValues();
        accuracy.WriteTo(values);
        Assert.Equal(7 / 9.0, values["accuracy"], 12);

        // Scores 0.1, 0.5, 0.4: top-1 is class 1, top-2 adds class 2.
        var scores = tensor(new float[] { 0.1f, 0.5f, 0.4f, 0.1f, 0.5f, 0.4f }, [2, 3]);
        var top2 = new TopKAccuracy(2);
        top2.Update(scores, tensor(new long[] { 2, 0 }));
        top2.WriteTo(values);
        Assert.Equal(0.5, values["top2_accuracy"], 12);
        Assert.Throws<KeyNotFoundException>(() => values["top3_accuracy"]);
    }

    [Fact]
    public void RegressionErrorsMatchTheirDefinitions()
    {
        double[] y = [1, 2, 3, 4, 10];
        double[] p = [1.5, 1.5, 3.5, 3, 9];
        var metric = new RegressionErrors();
        metric.Update(tensor(p.Select(v => (float)v).ToArray()), tensor(y.Select(v => (float)v).ToArray()));
        var values = new MetricValues();
        metric.WriteTo(values);
        double mean = y.Average();
        double sse = y.Zip(p, (a, b) => (a - b) * (a - b)).Sum();
        Assert.Equal(y.Zip(p, (a, b) => Math.Abs(a - b)).Average(), values["mae"], 6);
        Assert.Equal(Math.Sqrt(sse / y.Length), values["rmse"], 6);
        Assert.Equal(1 - sse / y.Sum(v => (v - mean) * (v - mean)), values["r2"], 6);
    }

    [Fact]
    public void MultiLabelScoresAtTheThreshold()
    {
        // Logits → probabilities above 0.5 where positive.
        var logits = tensor(new float[] { 2, -2, 2, -2, -2, 2 }, [2, 3]);
        var targets = tensor(new float[] { 1, 0, 0, 0, 1, 1 }, [2, 3]);
        var metric = new MultiLabelScores();
        metric.Update(logits, targets);
        var values = new MetricValues();
        metric.WriteTo(values);
        Assert.Equal(4 / 6.0, values["accuracy"], 12); // wrong: (0,2) false positive, (1,1) false negative
        Assert.Equal(2 * 2 / (2 * 2 + 1 + 1.0), values["f1"], 12);
    }

    [Fact]
    public void MetricDirectionKnowsLossesFromScores()
    {
        Assert.True(MetricDirection.LowerIsBetter("val_loss"));
        Assert.True(MetricDirection.LowerIsBetter("rmse"));
        Assert.False(MetricDirection.LowerIsBetter("val_accuracy"));
        Assert.False(MetricDirection.LowerIsBetter("r2"));
    }
}
