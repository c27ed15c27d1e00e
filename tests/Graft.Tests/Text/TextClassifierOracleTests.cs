using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Graft.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Tests.Text;

/// <summary>
/// The text models against PyTorch 1.13 (Debian's /usr/bin/python3): the same weights and indices, with the
/// architecture written out in PyTorch's functional ops (Keras' example design: valid Conv1d + ReLU, MaxPool 5,
/// global max, Dense + ReLU, Dense; masked mean pooling). Tolerance: 1e-5 absolute + 1e-4 relative (float32,
/// different kernels).
/// </summary>
public class TextClassifierOracleTests
{
    private const string Python = "/usr/bin/python3";

    private const string Script = """
        import json, sys
        import numpy as np
        import torch
        import torch.nn.functional as F
        folder = sys.argv[1]
        manifest = json.load(open(folder + "/manifest.json"))
        def load(name, dtype):
            entry = manifest[name]
            return torch.from_numpy(np.fromfile(folder + "/" + entry["file"], dtype=dtype).reshape(entry["shape"]))
        def weights(prefix):
            return {k[len(prefix):]: load(k, np.float32) for k in manifest if k.startswith(prefix)}
        def cnn(W, ids, blocks, minimum):
            if ids.shape[1] < minimum:
                ids = F.pad(ids, (0, minimum - ids.shape[1]))
            x = F.embedding(ids, W["embedding.weight"]).transpose(1, 2)
            for b in range(1, blocks + 1):
                if b > 1:
                    x = F.max_pool1d(x, 5)
                x = F.relu(F.conv1d(x, W[f"encoder.conv{b}.weight"], W[f"encoder.conv{b}.bias"]))
            x = x.amax(-1)
            x = F.relu(F.linear(x, W["head.dense.weight"], W["head.dense.bias"]))
            return F.linear(x, W["head.classifier.weight"], W["head.classifier.bias"])
        def pooled(W, ids):
            mask = (ids != 0).float().unsqueeze(-1)
            e = F.embedding(ids, W["embedding.weight"])
            mean = (e * mask).sum(1) / mask.sum(1).clamp(min=1)
            return F.linear(mean, W["head.classifier.weight"], W["head.classifier.bias"])
        out = {}
        with torch.no_grad():
            for name in ["long", "short"]:
                ids = load("ids." + name, np.int64)
                out["cnn." + name] = cnn(weights("cnn."), ids, 3, 149).flatten().tolist()
                out["pooled." + name] = pooled(weights("pooled."), ids).flatten().tolist()
        print(json.dumps(out))
        """;

    [Fact]
    public void ModelsMatchPyTorchOnTheSameWeights()
    {
        torch.manual_seed(11);
        using var cnn = new ConvTextClassifier(30, 6, 3, new ConvTextClassifierOptions { Filters = 8, DenseUnits = 5 });
        using var pooled = new PooledTextClassifier(30, 6, 3);
        using (var random = torch.randn(30, 6, generator: new Generator(5)))
        {
            cnn.LoadEmbedding(random);
            pooled.LoadEmbedding(random);
        }
        cnn.eval();
        pooled.eval();

        using var folder = new TempFolder();
        var manifest = new Dictionary<string, object>();
        void Save(string name, Tensor tensor)
        {
            string file = name + ".bin";
            byte[] bytes = tensor.dtype == ScalarType.Int64
                ? tensor.data<long>().ToArray().SelectMany(BitConverter.GetBytes).ToArray()
                : tensor.contiguous().data<float>().ToArray().SelectMany(BitConverter.GetBytes).ToArray();
            File.WriteAllBytes(folder.File(file), bytes);
            manifest[name] = new { file, shape = tensor.shape };
        }
        foreach (var (name, tensor) in cnn.state_dict()) Save("cnn." + name, tensor);
        foreach (var (name, tensor) in pooled.state_dict()) Save("pooled." + name, tensor);

        using var scope = torch.NewDisposeScope();
        var longIds = torch.randint(1, 30, [2, 160], dtype: ScalarType.Int64, generator: new Generator(3));
        longIds[1, TensorIndex.Slice(100)] = torch.tensor(0L); // padding at the end of the second text
        var shortIds = torch.tensor(new long[,] { { 4, 9, 0, 0 }, { 7, 7, 7, 2 } });
        Save("ids.long", longIds);
        Save("ids.short", shortIds);
        File.WriteAllText(folder.File("manifest.json"), JsonSerializer.Serialize(manifest));

        var oracle = RunPython(folder.Path);
        void Compare(string key, Tensor actual)
        {
            float[] expected = oracle[key].EnumerateArray().Select(v => v.GetSingle()).ToArray();
            float[] values = actual.data<float>().ToArray();
            Assert.Equal(expected.Length, values.Length);
            for (int i = 0; i < values.Length; i++)
                Assert.True(Math.Abs(values[i] - expected[i]) <= 1e-5 + 1e-4 * Math.Abs(expected[i]),
                    $"{key}[{i}]: Graft {values[i].ToString("R", CultureInfo.InvariantCulture)}, PyTorch {expected[i].ToString("R", CultureInfo.InvariantCulture)}");
        }
        using (torch.no_grad())
        {
            Compare("cnn.long", cnn.call(longIds));
            Compare("cnn.short", cnn.call(shortIds));
            Compare("pooled.long", pooled.call(longIds));
            Compare("pooled.short", pooled.call(shortIds));
        }
    }

    private static Dictionary<string, JsonElement> RunPython(string folder)
    {
        Assert.True(File.Exists(Python),
            $"{Python} is missing: the PyTorch oracle needs Debian's python3 with torch (apt-get install -y python3-torchvision)");
        string script = Path.Combine(folder, "oracle.py");
        File.WriteAllText(script, Script);
        var start = new ProcessStartInfo(Python, [script, folder])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0,
            $"the PyTorch oracle failed (exit {process.ExitCode}); needs torch for {Python} (apt-get install -y python3-torchvision):\n{stderr.Result}");
        return JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(stdout)!;
    }
}
