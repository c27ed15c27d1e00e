using Graft.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Tests.Weights;

/// <summary>Copying state dicts into TorchSharp modules: the tiny model of make_weight_fixtures.py, rebuilt in C#.</summary>
[Collection(WeightFixturesCollection.Name)]
public sealed class LoadIntoTests(WeightFixtures fixtures)
{
    [Fact]
    public void TorchWeightsReproduceTorchOutputs()
    {
        using var model = TinyModel();
        using StateDict weights = StateDict.Load(fixtures["module.pth"]);
        LoadReport report = weights.LoadInto(model);

        Assert.True(report.IsExact);
        Assert.Equal(8, report.Loaded.Count);
        Assert.Equal(3, model.state_dict()["bn.num_batches_tracked"].item<long>());
        using StateDict io = SafeTensors.Read(fixtures["module_io.safetensors"]);
        model.eval();
        using var output = model.call(io["input"]);
        float maxError = (output - io["output"]).abs().max().item<float>();
        Assert.True(maxError < 1e-5f, $"max |C# - torch| = {maxError}");
    }

    [Fact]
    public void StrictLoadListsEveryProblemAndCopiesNothing()
    {
        using var model = TinyModel(classes: 7, extraLayer: true);
        using var before = model.state_dict()["conv.weight"].clone();
        using StateDict weights = StateDict.Load(fixtures["module.pth"]);
        weights.Add("aux.weight", torch.ones(3));

        var error = Assert.Throws<StateDictMismatchException>(() => weights.LoadInto(model));

        Assert.Contains("module.pth", error.Message);
        Assert.Contains("extra.weight", error.Message); // missing from the file
        Assert.Contains("aux.weight", error.Message); // unexpected
        Assert.Contains("fc.weight: file has [5, 16], model expects [7, 16]", error.Message);
        Assert.Contains("fc.bias: file has [5], model expects [7]", error.Message);
        Assert.Equal(["extra.weight", "extra.bias"], error.Report.Missing);
        Assert.Equal(["aux.weight"], error.Report.Unexpected);
        Assert.Equal(2, error.Report.ShapeMismatches.Count);
        Assert.True(TensorAssert.Same(before, model.state_dict()["conv.weight"]), "a strict failure changed the model");
    }

    [Fact]
    public void NonStrictLoadTakesWhatMatches()
    {
        using var model = TinyModel(classes: 7);
        using var headBefore = model.state_dict()["fc.weight"].clone();
        using StateDict weights = StateDict.Load(fixtures["module.pth"]);

        LoadReport report = weights.LoadInto(model, strict: false);

        Assert.Equal(6, report.Loaded.Count);
        Assert.Equal(["fc.weight", "fc.bias"], report.ShapeMismatches.Select(m => m.Key));
        Assert.True(TensorAssert.Same(weights["conv.weight"], model.state_dict()["conv.weight"]));
        Assert.True(TensorAssert.Same(headBefore, model.state_dict()["fc.weight"]));

        LoadReport dropped = weights.LoadInto(model, strict: false, remap: KeyRemap.DropPrefix("fc."));
        Assert.Empty(dropped.ShapeMismatches);
        Assert.Equal(["fc.weight", "fc.bias"], dropped.Missing);
    }

    [Fact]
    public void DataParallelPrefixIsStripped()
    {
        using var model = TinyModel();
        using StateDict weights = StateDict.Load(fixtures["data_parallel.pth"]);
        var error = Assert.Throws<StateDictMismatchException>(() => weights.LoadInto(model));
        Assert.Equal(8, error.Report.Missing.Count);
        Assert.Contains("module.conv.weight", error.Report.Unexpected);

        Assert.True(weights.LoadInto(model, remap: KeyRemap.StripPrefix("module.")).IsExact);
        Assert.True(TensorAssert.Same(weights["module.fc.bias"], model.state_dict()["fc.bias"]));
    }

    [Fact]
    public void RenamedPrefixAndChainedRemapsWork()
    {
        Func<string, string?> remap = KeyRemap.StripPrefix("module.").Then(KeyRemap.RenamePrefix("fc.", "head."));
        Assert.Equal("head.weight", remap("module.fc.weight"));
        Assert.Equal("conv.weight", remap("conv.weight"));
        Assert.Null(KeyRemap.DropPrefix("fc.").Then(KeyRemap.StripPrefix("x"))("fc.bias"));
    }

    [Fact]
    public void TwoKeysRemappedOntoOneAreRefused()
    {
        using var model = TinyModel();
        using StateDict weights = StateDict.Load(fixtures["module.pth"]);
        var error = Assert.Throws<ArgumentException>(() => weights.LoadInto(model, remap: k => k.StartsWith("bn.") ? "bn.weight" : k));
        Assert.Contains("to 'bn.weight'", error.Message);
    }

    [Fact]
    public void HalfPrecisionFileLoadsIntoAFloatModel()
    {
        using var model = TinyModel();
        using var half = new StateDict();
        using (StateDict weights = StateDict.Load(fixtures["module.pth"]))
        {
            foreach (var (name, tensor) in weights)
                half.Add(name, tensor.is_floating_point() ? tensor.to(ScalarType.Float16) : tensor.clone());
        }
        Assert.True(half.LoadInto(model).IsExact);
        Tensor loaded = model.state_dict()["fc.weight"];
        Assert.Equal(ScalarType.Float32, loaded.dtype);
        using var expected = half["fc.weight"].to(ScalarType.Float32);
        Assert.True(TensorAssert.Same(expected, loaded));
    }

    [Fact]
    public void SavedModelLoadsBackIdentically()
    {
        using var original = TinyModel();
        using (StateDict weights = StateDict.Load(fixtures["module.pth"])) weights.LoadInto(original);
        string path = Path.Combine(fixtures.Folder, $"model-{Guid.NewGuid():N}.safetensors");
        using (StateDict snapshot = StateDict.FromModule(original)) snapshot.Save(path);

        torch.manual_seed(123);
        using var copy = TinyModel();
        using (StateDict back = StateDict.Load(path)) Assert.True(back.LoadInto(copy).IsExact);
        original.eval();
        copy.eval();
        using var x = torch.randn(2, 3, 8, 8);
        Assert.True(TensorAssert.Same(original.call(x), copy.call(x)));
    }

    [Fact]
    public void StateDictOwnsItsTensors()
    {
        StateDict weights;
        using (torch.NewDisposeScope())
        {
            weights = StateDict.Load(fixtures["module.pth"]);
        }
        Tensor tensor = weights["fc.bias"];
        Assert.Equal(5, tensor.shape[0]); // survived the scope it was loaded in
        weights.Dispose();
        Assert.Throws<InvalidOperationException>(() => tensor.sum());
        Assert.Throws<ObjectDisposedException>(() => weights.Add("x", torch.ones(1)));
    }

    /// <summary>Same layout and names as tiny_model() in make_weight_fixtures.py.</summary>
    private static nn.Module<Tensor, Tensor> TinyModel(int classes = 5, bool extraLayer = false)
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>
        {
            ("conv", nn.Conv2d(3, 4, 3, padding: 1, bias: false)),
            ("bn", nn.BatchNorm2d(4)),
            ("relu", nn.ReLU()),
            ("pool", nn.AdaptiveAvgPool2d(2)),
            ("flatten", nn.Flatten()),
            ("fc", nn.Linear(16, classes)),
        };
        if (extraLayer) layers.Add(("extra", nn.Linear(classes, 2)));
        return nn.Sequential(layers);
    }
}
