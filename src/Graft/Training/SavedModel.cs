using Graft.Training.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Training;

/// <summary>
/// A trained model in one <c>.safetensors</c> file: the weights under their state-dict keys (readable by any
/// safetensors reader and loadable into the PyTorch model with the same keys), and in <c>__metadata__</c> the
/// architecture name, class names, task, preprocessing and Graft version, so that loading needs nothing else.
/// </summary>
public static class SavedModel
{
    /// <summary>Writes <paramref name="model"/>'s parameters and buffers with <paramref name="info"/> to <paramref name="path"/>, atomically.</summary>
    public static void Save(string path, nn.Module model, ModelInfo info) =>
        TensorFile.Write(path, WeightSnapshot.StateOf(model), info.ToMetadata());

    /// <summary>Reads only the metadata of a saved model.</summary>
    /// <exception cref="InvalidDataException">When the file is not a Graft model.</exception>
    public static ModelInfo ReadInfo(string path)
    {
        var (tensors, metadata) = TensorFile.Read(path);
        foreach (var t in tensors.Values) t.Dispose();
        return ModelInfo.FromMetadata(metadata, path);
    }

    /// <summary>
    /// Rebuilds a saved model: builds the architecture named in its metadata (<paramref name="build"/> or
    /// <see cref="ModelBuilders"/>), then loads every weight, requiring the keys and shapes to match exactly.
    /// The model is on the CPU, in eval mode, every layer trainable.
    /// </summary>
    /// <exception cref="FileNotFoundException">When there is no file.</exception>
    /// <exception cref="InvalidDataException">When the file is not a Graft model or its weights do not fit the
    /// architecture (the message lists missing and unexpected keys).</exception>
    /// <exception cref="KeyNotFoundException">When no builder knows the architecture.</exception>
    public static (nn.Module<Tensor, Tensor> Model, ModelInfo Info) Load(string path, Func<ModelInfo, nn.Module<Tensor, Tensor>>? build = null)
    {
        var (tensors, metadata) = TensorFile.Read(path);
        using var weights = WeightSnapshot.From(tensors);
        var info = ModelInfo.FromMetadata(metadata, path);
        var model = build?.Invoke(info) ?? ModelBuilders.Build(info);
        var expected = WeightSnapshot.StateOf(model).ToDictionary(w => w.Name, w => w.Tensor);
        var missing = expected.Keys.Where(k => !weights.Tensors.ContainsKey(k)).ToList();
        var unexpected = weights.Tensors.Keys.Where(k => !expected.ContainsKey(k)).ToList();
        var misshapen = expected.Where(kv => weights.Tensors.TryGetValue(kv.Key, out var t) && !t.shape.SequenceEqual(kv.Value.shape))
            .Select(kv => $"{kv.Key} (model [{string.Join(", ", kv.Value.shape)}], file [{string.Join(", ", weights.Tensors[kv.Key].shape)}])")
            .ToList();
        if (missing.Count + unexpected.Count + misshapen.Count > 0)
            throw new InvalidDataException(
                $"'{path}' does not fit architecture '{info.Architecture}': "
                + $"missing [{string.Join(", ", missing.Take(10))}], unexpected [{string.Join(", ", unexpected.Take(10))}], "
                + $"wrong shape [{string.Join(", ", misshapen.Take(10))}].");
        weights.RestoreInto(model);
        model.eval();
        return (model, info);
    }
}
