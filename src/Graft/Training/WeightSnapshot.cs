using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Training;

/// <summary>A detached copy of every parameter and buffer of a model (BatchNorm statistics included), restorable
/// bit for bit. Used by early stopping's restore-best and by the learning-rate finder.</summary>
public sealed class WeightSnapshot : IDisposable
{
    private readonly Dictionary<string, Tensor> _tensors;

    private WeightSnapshot(Dictionary<string, Tensor> tensors) => _tensors = tensors;

    /// <summary>The copied tensors by state-dict key.</summary>
    public IReadOnlyDictionary<string, Tensor> Tensors => _tensors;

    /// <summary>Copies the weights of <paramref name="model"/>.</summary>
    public static WeightSnapshot Of(nn.Module model)
    {
        var tensors = new Dictionary<string, Tensor>();
        using var noGrad = no_grad();
        foreach (var (name, tensor) in StateOf(model))
            tensors[name] = tensor.detach().clone().DetachFromDisposeScope();
        return new WeightSnapshot(tensors);
    }

    /// <summary>Wraps tensors read from a file (the snapshot takes ownership).</summary>
    internal static WeightSnapshot From(Dictionary<string, Tensor> tensors) => new(tensors);

    /// <summary>Copies the snapshot back into <paramref name="model"/>, in place.</summary>
    /// <exception cref="InvalidOperationException">When the model's keys or shapes differ from the snapshot's.</exception>
    public void RestoreInto(nn.Module model)
    {
        using var noGrad = no_grad();
        foreach (var (name, tensor) in StateOf(model))
        {
            if (!_tensors.TryGetValue(name, out var saved))
                throw new InvalidOperationException($"The snapshot has no weight '{name}'.");
            if (!saved.shape.SequenceEqual(tensor.shape))
                throw new InvalidOperationException(
                    $"Weight '{name}' has shape [{string.Join(", ", tensor.shape)}] but the snapshot has [{string.Join(", ", saved.shape)}].");
            tensor.copy_(saved);
        }
    }

    /// <summary>Parameters then buffers, by state-dict key.</summary>
    internal static IEnumerable<(string Name, Tensor Tensor)> StateOf(nn.Module model)
    {
        foreach (var (name, parameter) in model.named_parameters()) yield return (name, parameter);
        foreach (var (name, buffer) in model.named_buffers()) yield return (name, buffer);
    }

    /// <summary>Disposes the copies.</summary>
    public void Dispose()
    {
        foreach (var tensor in _tensors.Values) tensor.Dispose();
        _tensors.Clear();
    }
}
