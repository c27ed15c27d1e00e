using Graft.Weights;
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
        SafeTensors.Write(path, WeightSnapshot.StateOf(model).Select(w => KeyValuePair.Create(w.Name, w.Tensor)), info.ToMetadata());

    /// <summary>Reads only the metadata of a saved model (no tensor is loaded).</summary>
    /// <exception cref="WeightFileException">When the file is missing, damaged or not a Graft model.</exception>
    public static ModelInfo ReadInfo(string path) => ModelInfo.FromMetadata(SafeTensors.ReadHeader(path).Metadata, path);

    /// <summary>
    /// Rebuilds a saved model: builds the architecture named in its metadata (<paramref name="build"/> or
    /// <see cref="ModelBuilders"/>), then loads every weight, requiring the keys and shapes to match exactly.
    /// The model is on the CPU, in eval mode, every layer trainable.
    /// </summary>
    /// <exception cref="WeightFileException">When the file is missing, damaged or not a Graft model.</exception>
    /// <exception cref="StateDictMismatchException">When the weights do not fit the architecture (the message lists
    /// missing, unexpected and mis-shaped keys).</exception>
    /// <exception cref="KeyNotFoundException">When no builder knows the architecture.</exception>
    public static (nn.Module<Tensor, Tensor> Model, ModelInfo Info) Load(string path, Func<ModelInfo, nn.Module<Tensor, Tensor>>? build = null)
    {
        using var weights = SafeTensors.Read(path);
        var info = ModelInfo.FromMetadata(weights.Metadata, path);
        var model = build?.Invoke(info) ?? ModelBuilders.Build(info);
        weights.LoadInto(model, strict: true);
        model.eval();
        return (model, info);
    }
}
