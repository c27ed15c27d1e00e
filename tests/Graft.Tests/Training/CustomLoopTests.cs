using Graft.Data;
using Graft.Layers;
using Graft.Training;
using Graft.Training.Metrics;
using Graft.Training.Optimizers;
using Graft.Training.Schedules;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Tests.Training;

/// <summary>The custom training loop of docs/custom-loop.md, written with public API only.</summary>
[Collection("Training")]
public class CustomLoopTests
{
    [Fact]
    public void AHandWrittenLoopOverThePublicApiTrainsAHead()
    {
        // Data and model: a pretrained base with a new head; freeze the base (BatchNorm goes to inference mode).
        var (x, shapes) = Shapes.Generate(240, seed: 95);
        var (vx, vshapes) = Shapes.Generate(120, seed: 96);
        IBatchSource train = new TensorBatchSource(x, Shapes.Family(shapes), batchSize: 24, seed: 1);
        IBatchSource validation = new TensorBatchSource(vx, Shapes.Family(vshapes), batchSize: 60, shuffle: false);
        Network network = Transfer.FromBase(Pretrained.SixShapeNetwork(), outputs: 3);
        network.BaseLayers.Freeze();

        // Optimizer over every parameter: frozen ones are skipped at each step.
        var optimizer = new Graft.Training.Optimizers.AdamW(
            [new ParameterGroup("all", network.named_parameters(), learningRate: 1e-2, weightDecay: 1e-4)]);
        var schedule = new OneCycleSchedule();
        const int epochs = 6;
        long totalSteps = epochs * train.Count, step = 0;
        double firstLoss = double.NaN, lastLoss = double.NaN;

        for (int epoch = 0; epoch < epochs; epoch++)
        {
            network.train();
            foreach (var batch in train.Batches(epoch))
            {
                using var scope = NewDisposeScope(); // everything made in the step is freed at its end
                using var owned = batch;             // the consumer owns the batch
                optimizer.Groups[0].LearningRate = 1e-2 * schedule.Factor(step++, totalSteps);
                optimizer.ZeroGrad();
                var loss = nn.functional.cross_entropy(network.call(batch.X), batch.Y);
                loss.backward();
                GradientClipping.ClipByGlobalNorm(network.parameters(), maxNorm: 1.0);
                optimizer.Step();
                lastLoss = loss.item<float>();       // read out before the scope ends
                if (double.IsNaN(firstLoss)) firstLoss = lastLoss;
            }
        }

        // Validation in inference mode under no-grad, with Graft's metric accumulators.
        var accuracy = new Accuracy();
        var confusion = new ConfusionMatrix(3);
        network.eval();
        using (no_grad())
        {
            foreach (var batch in validation.Batches(0))
            {
                using var scope = NewDisposeScope();
                using var owned = batch;
                var logits = network.call(batch.X);
                accuracy.Update(logits, batch.Y);
                confusion.Update(logits, batch.Y);
            }
        }
        var values = new MetricValues();
        accuracy.WriteTo(values);
        confusion.WriteTo(values);
        optimizer.Dispose();

        Assert.True(lastLoss < firstLoss, $"loss should fall ({firstLoss:F3} → {lastLoss:F3})");
        Assert.True(values["accuracy"] > 0.7, $"validation accuracy {values["accuracy"]:F3}; chance is 0.33");
        Assert.Equal(120, values.Confusion!.Total);
    }
}
