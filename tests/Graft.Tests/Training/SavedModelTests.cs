using Graft.Data;
using System.Text.Json;
using Graft.Layers;
using Graft.Training;
using Graft.Training.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Tests.Training;

[Collection("Training")]
public sealed class SavedModelTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"graft-saved-test-{Guid.NewGuid():N}");

    static SavedModelTests() => ModelBuilders.Register("test.tiny_cnn", info => TinyCnn.Create(info.Outputs, seed: 1000));

    public SavedModelTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static ModelInfo Info => new("test.tiny_cnn")
    {
        ClassNames = ["round", "bars", "cornered"],
        Outputs = 3,
        Task = new Classification(LabelSmoothing: 0.1),
        Preprocessing = """{"size":16,"mean":[0.5,0.5,0.5],"std":[0.25,0.25,0.25]}""",
        HeadName = "fc",
    };

    [Fact]
    public void SaveThenLoadRebuildsTheSameModelFromTheFileAlone()
    {
        var network = TinyCnn.Create(3, seed: 12);
        var (x, shapes) = Shapes.Generate(48, seed: 81);
        using (var learner = new Learner(network, new TensorBatchSource(x, Shapes.Family(shapes), 16)))
            learner.Fit(1); // moves BatchNorm statistics away from their defaults too
        string path = Path.Combine(_folder, "model.safetensors");
        SavedModel.Save(path, network, Info);

        var (loaded, info) = SavedModel.Load(path);

        Assert.Equal(Info with { Task = info.Task, ClassNames = info.ClassNames, Extra = info.Extra }, info);
        Assert.Equal(Info.ClassNames, info.ClassNames);
        Assert.Empty(info.Extra);
        Assert.Equal(new Classification(LabelSmoothing: 0.1), info.Task);
        var expected = Bits.Of(network);
        var actual = Bits.Of(loaded);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        Assert.All(expected, kv => Assert.True(Bits.Same(kv.Value, actual[kv.Key]), kv.Key));
        network.eval();
        using var noGrad = no_grad();
        Assert.True(Bits.Same(network.call(x), loaded.call(x)));
    }

    [Fact]
    public void AnyReaderOfTheFormatCanReadItWithoutGraft()
    {
        var network = TinyCnn.Create(3, seed: 13);
        string path = Path.Combine(_folder, "plain.safetensors");
        SavedModel.Save(path, network, Info);

        // An independent reader written from the format's description: header length, JSON header, raw data.
        string script = $$"""
            import json, struct, torch
            dtypes = {'F32': torch.float32, 'I64': torch.int64}
            with open({{JsonSerializer.Serialize(path)}}, 'rb') as f:
                n = struct.unpack('<Q', f.read(8))[0]
                header = json.loads(f.read(n))
                data = f.read()
            meta = header.pop('__metadata__')
            sums = {}
            for k, v in header.items():
                b, e = v['data_offsets']
                t = torch.frombuffer(bytearray(data[b:e]), dtype=dtypes[v['dtype']]).reshape(v['shape']) if e > b else torch.zeros(v['shape'])
                sums[k] = float(t.double().sum())
            print(json.dumps({'meta': meta, 'sums': sums}))
            """;
        using var document = JsonDocument.Parse(PyTorchOracle.Run(script));
        var meta = document.RootElement.GetProperty("meta");
        Assert.Equal("test.tiny_cnn", meta.GetProperty("graft.architecture").GetString());
        Assert.Equal("""["round","bars","cornered"]""", meta.GetProperty("graft.classes").GetString());
        Assert.Contains("\"mean\"", meta.GetProperty("graft.preprocessing").GetString());
        Assert.False(string.IsNullOrEmpty(meta.GetProperty("graft.version").GetString()));
        var sums = document.RootElement.GetProperty("sums");
        foreach (var (name, tensor) in network.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).Concat(network.named_buffers()))
            Assert.Equal(tensor.to_type(ScalarType.Float64).sum().item<double>(), sums.GetProperty(name).GetDouble(), 5);
    }

    [Fact]
    public void ASavedModelIsTheStartingPointOrTheBaseOfANewRun()
    {
        var (x, shapes) = Shapes.Generate(96, seed: 82);
        var (vx, vshapes) = Shapes.Generate(48, seed: 83);
        var network = TinyCnn.Create(3, seed: 14);
        var train = new TensorBatchSource(x, Shapes.Family(shapes), 16, seed: 1);
        var validation = new TensorBatchSource(vx, Shapes.Family(vshapes), 48, shuffle: false);
        double lossBefore;
        using (var learner = new Learner(network, train, validation, options: new TrainOptions { LearningRate = 3e-3 }))
        {
            learner.Fit(2);
            lossBefore = learner.Evaluate(validation)["loss"];
        }
        string path = Path.Combine(_folder, "continue.safetensors");
        SavedModel.Save(path, network, Info);

        // Starting point: training continues from the saved weights, not from scratch.
        var (loaded, _) = SavedModel.Load(path);
        using (var learner = new Learner(loaded, train, validation, options: new TrainOptions { LearningRate = 3e-3 }))
        {
            Assert.Equal(lossBefore, learner.Evaluate(validation)["loss"], 6);
            var result = learner.Fit(2);
            Assert.Equal(StopReason.Completed, result.Stop);
            using var fresh = new Learner(TinyCnn.Create(3, seed: 15), train, validation, options: new TrainOptions { LearningRate = 3e-3 });
            double freshLoss = fresh.Fit(1).Last!["loss"];
            Assert.True(result.Epochs[0]["loss"] < freshLoss - 0.1,
                $"training from the saved weights (first-epoch loss {result.Epochs[0]["loss"]:F3}) should start well ahead of a fresh model ({freshLoss:F3})");
        }

        // Base: a new two-output head on the saved base.
        var reused = Transfer.FromSaved(path, outputs: 2);
        Assert.Equal(2, ((TorchSharp.Modules.Linear)reused.Head.Module).out_features);
        var savedBase = Bits.Of(network.WithoutHead());
        var reusedBase = Bits.Of(reused.WithoutHead());
        Assert.All(savedBase, kv => Assert.True(Bits.Same(kv.Value, reusedBase[kv.Key]), kv.Key));
    }

    [Fact]
    public void LoadingExplainsWhatIsWrong()
    {
        string path = Path.Combine(_folder, "odd.safetensors");
        SavedModel.Save(path, TinyCnn.Create(3), Info with { Architecture = "no.such.architecture" });
        var unknown = Assert.Throws<KeyNotFoundException>(() => SavedModel.Load(path));
        Assert.Contains("no.such.architecture", unknown.Message);

        SavedModel.Save(path, TinyCnn.Create(3), Info with { Outputs = 5 });
        var misfit = Assert.Throws<Graft.Weights.StateDictMismatchException>(() => SavedModel.Load(path));
        Assert.Contains("fc.weight", misfit.Message);

        File.WriteAllBytes(path, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 1]);
        var torn = Assert.Throws<Graft.Weights.WeightFileException>(() => SavedModel.Load(path));
        Assert.Contains(path, torn.Message);

        SavedModel.Save(path, TinyCnn.Create(3), Info);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..^100]); // truncated: the last tensor's data is cut off
        Assert.Contains(path, Assert.Throws<Graft.Weights.WeightFileException>(() => SavedModel.Load(path)).Message);
    }

    [Fact]
    public void ExtraMetadataRoundTripsAndCannotOverrideGraftsOwnKeys()
    {
        string path = Path.Combine(_folder, "extra.safetensors");
        var extra = new Dictionary<string, string> { ["text.vocabulary"] = "{\"words\":[\"a\"]}", ["my.setting"] = "7" };
        SavedModel.Save(path, TinyCnn.Create(3), Info with { Extra = extra });
        var (_, info) = SavedModel.Load(path);
        Assert.Equal(extra.OrderBy(kv => kv.Key), info.Extra.OrderBy(kv => kv.Key));

        foreach (string reserved in new[] { "graft.classes", "format" })
        {
            var clash = Assert.Throws<InvalidOperationException>(() =>
                SavedModel.Save(path, TinyCnn.Create(3), Info with { Extra = new Dictionary<string, string> { [reserved] = "x" } }));
            Assert.Contains($"'{reserved}'", clash.Message);
        }
    }
}
