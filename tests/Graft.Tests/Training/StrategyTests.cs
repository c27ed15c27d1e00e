using Graft.Data;
using Graft.Layers;
using Graft.Training;
using Graft.Training.Strategies;
using Graft.Training.Tasks;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Graft.Tests.Training;

/// <summary>
/// Each strategy on a small task with structure: classify pictures into three shape families (round, bars,
/// cornered) from 240 examples, reusing a base pretrained on six-way shape classification. Chance is 1/3.
/// </summary>
[Collection("Training")]
public class StrategyTests(ITestOutputHelper output)
{
    private static (TensorBatchSource Train, TensorBatchSource Validation) FamilyData(int trainCount = 240)
    {
        var (x, shapes) = Shapes.Generate(trainCount, seed: 21);
        var (vx, vshapes) = Shapes.Generate(300, seed: 22);
        return (new TensorBatchSource(x, Shapes.Family(shapes), 32, seed: 4), new TensorBatchSource(vx, Shapes.Family(vshapes), 100, shuffle: false));
    }

    [Fact]
    public void ScratchTrainsEverythingFromRandomWeights()
    {
        var (train, validation) = FamilyData(600);
        var network = Transfer.FromBase(Pretrained.SixShapeNetwork(), 3);
        network.Layers[..^1].Freeze();
        var pretrained = Bits.Of(network);
        using var learner = new Learner(network, train, validation, options: new TrainOptions { LearningRate = 3e-3, Seed = 5 });

        var result = learner.Run(new Scratch(Epochs: 8));

        Assert.Equal("scratch", Assert.Single(result.Phases).Name);
        Assert.True(network.Trainable);
        Assert.False(BatchNormPolicy.IsPinned(network.Layers["bn1"].Module));
        var now = Bits.Of(network);
        Assert.All(pretrained.Keys.Where(k => k.EndsWith("weight", StringComparison.Ordinal)), k => Assert.False(Bits.Same(pretrained[k], now[k]), k));
        double accuracy = result.Last!["val_accuracy"];
        output.WriteLine($"validation accuracy {accuracy:F3}");
        Assert.True(accuracy > 0.6, $"scratch validation accuracy {accuracy:F3} should be well above chance (0.33)");
    }

    [Fact]
    public void FeatureExtractionTrainsOnlyTheHeadOnCachedFeatures()
    {
        var (train, validation) = FamilyData();
        var network = Transfer.FromBase(Pretrained.SixShapeNetwork(), 3);
        var baseBefore = Bits.Of(network.WithoutHead());
        using var learner = new Learner(network, train, validation, options: new TrainOptions { LearningRate = 1e-2, Seed = 5 });

        var result = learner.Run(new FeatureExtraction(Epochs: 15));

        var phase = Assert.Single(result.Phases);
        Assert.True(phase.UsedFeatureCache);
        Assert.Equal(15, phase.Epochs.Count);
        var baseAfter = Bits.Of(network.WithoutHead());
        Assert.All(baseBefore, kv => Assert.True(Bits.Same(kv.Value, baseAfter[kv.Key]), $"{kv.Key} changed"));
        double accuracy = result.Last!["val_accuracy"];
        output.WriteLine($"validation accuracy {accuracy:F3}");
        Assert.True(accuracy > 0.8, $"feature-extraction validation accuracy {accuracy:F3} should be well above chance (0.33)");
    }

    [Fact]
    public void FineTuneRecordsBothPhasesAndLeavesLayersBelowTheUnfreezingPointUnchanged()
    {
        var (train, validation) = FamilyData();
        var network = Transfer.FromBase(Pretrained.SixShapeNetwork(), 3);
        using var learner = new Learner(network, train, validation, options: new TrainOptions { LearningRate = 1e-2, Seed = 5 });
        Dictionary<string, byte[]>? afterHead = null;
        var announced = new List<string>();
        learner.PhaseStarted += (_, e) => announced.Add(e.Phase);
        learner.FitEnded += (_, e) =>
        {
            if (e.Result.Name == "head") afterHead = Bits.Of(network);
        };

        var strategy = new FineTune(Epochs: 4, UnfreezeTop: 1) { Head = new FeatureExtraction(Epochs: 10) };
        var result = learner.Run(strategy);

        Assert.Equal(["head", "fine-tune"], announced);
        Assert.Equal(["head", "fine-tune"], result.Phases.Select(p => p.Name));
        Assert.Equal(10, result["head"].Epochs.Count);
        Assert.Equal(4, result["fine-tune"].Epochs.Count);
        Assert.All(result["fine-tune"].Epochs, e => Assert.Equal("fine-tune", e.Phase));
        // Phase 2 head rate: 1e-2 / 10; conv3+bn3 (the top weighted layer... here bn3) at a tenth of that.
        Assert.Equal(1e-3, result["fine-tune"].Epochs[0].LearningRate, 12);

        var now = Bits.Of(network);
        foreach (var (name, bytes) in afterHead!)
        {
            bool below = !name.StartsWith("bn3.", StringComparison.Ordinal) && !name.StartsWith("fc.", StringComparison.Ordinal);
            if (below) Assert.True(Bits.Same(bytes, now[name]), $"{name} is below the unfreezing point and changed in phase 2");
        }
        // The unfrozen BatchNorm learns its scale and shift but keeps its statistics (inference mode).
        Assert.False(Bits.Same(afterHead["bn3.weight"], now["bn3.weight"]));
        Assert.True(Bits.Same(afterHead["bn3.running_mean"], now["bn3.running_mean"]));
        Assert.True(Bits.Same(afterHead["bn3.running_var"], now["bn3.running_var"]));
        double accuracy = result.Last!["val_accuracy"];
        output.WriteLine($"validation accuracy {accuracy:F3}");
        Assert.True(accuracy > 0.8, $"fine-tuned validation accuracy {accuracy:F3} should be well above chance (0.33)");
    }

    [Fact]
    public void ARegressionBaseBecomesAClassifierInOneCall()
    {
        // The source task: regress each shape's area, width and height.
        var (x, _, geometry) = Shapes.GenerateWithGeometry(600, seed: 31);
        var (vx, _, vgeometry) = Shapes.GenerateWithGeometry(200, seed: 32);
        var regressor = TinyCnn.Create(3, seed: 8);
        using (var learner = new Learner(regressor, new TensorBatchSource(x, geometry, 32, seed: 1),
                   new TensorBatchSource(vx, vgeometry, 100, shuffle: false), new Regression(), new TrainOptions { LearningRate = 3e-3, Seed = 3 }))
        {
            var fit = learner.Fit(8);
            Assert.True(fit.Last!["val_r2"] > 0.5, $"the regression base should learn the geometry (R² {fit.Last!["val_r2"]:F3})");
        }

        var classifier = Transfer.FromBase(regressor, 3);
        Assert.Equal(3, ((TorchSharp.Modules.Linear)classifier.Head.Module).out_features);
        Assert.Same(regressor.Layers["conv1"].Module, classifier.Layers["conv1"].Module);

        var (train, validation) = FamilyData();
        using var transfer = new Learner(classifier, train, validation, options: new TrainOptions { LearningRate = 1e-2, Seed = 5 });
        var result = transfer.Run(new FeatureExtraction(Epochs: 15));
        double accuracy = result.Last!["val_accuracy"];
        output.WriteLine($"validation accuracy {accuracy:F3}");
        Assert.True(accuracy > 0.55, $"a classifier on the regression base reached {accuracy:F3}; chance is 0.33");
    }
}
