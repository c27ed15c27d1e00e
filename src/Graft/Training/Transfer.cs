using Graft.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Graft.Training;

/// <summary>Reusing a trained network as the base of a new task.</summary>
public static class Transfer
{
    /// <summary>
    /// A network that shares <paramref name="trained"/>'s base and ends in a new linear head with
    /// <paramref name="outputs"/> outputs: a regression model becomes the feature extractor of a classifier (or the
    /// other way round) in one call. The base's weights and trainability are those of <paramref name="trained"/>.
    /// </summary>
    /// <param name="trained">The trained network.</param>
    /// <param name="outputs">Outputs of the new head (classes, labels or regression targets).</param>
    /// <param name="features">Width of the base's output; read from the old head's first linear layer when null.</param>
    /// <exception cref="ArgumentException">When <paramref name="features"/> is null and the old head has no linear layer.</exception>
    public static Network FromBase(Network trained, int outputs, int? features = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        return trained.WithHead(nn.Linear(features ?? FeatureWidth(trained), outputs));
    }

    /// <summary>The width of the features <paramref name="trained"/>'s head takes: its first linear layer's inputs.</summary>
    /// <exception cref="ArgumentException">When the head has no linear layer.</exception>
    public static long FeatureWidth(Network trained)
    {
        var head = trained.Head.Module;
        return head.modules().Prepend(head).OfType<Linear>().FirstOrDefault()?.in_features
            ?? throw new ArgumentException(
                $"The head '{trained.HeadName}' ({trained.Head.TypeName}) has no linear layer to read the feature width from; pass features explicitly.",
                nameof(trained));
    }

    /// <summary>Loads a saved model (<see cref="SavedModel"/>) and puts a new head with <paramref name="outputs"/> outputs on its base.</summary>
    /// <exception cref="InvalidOperationException">When the saved model is not a <see cref="Network"/>.</exception>
    public static Network FromSaved(string path, int outputs, int? features = null)
    {
        var (model, _) = SavedModel.Load(path);
        if (model is not Network network)
            throw new InvalidOperationException($"'{path}' holds a {model.GetType().Name}, not a Network, so it has no base to reuse.");
        network.train();
        return FromBase(network, outputs, features);
    }
}
