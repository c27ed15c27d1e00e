using System.Collections;

namespace Graft.Layers;

/// <summary>
/// An ordered list of layers that can be indexed by position, by <see cref="Index"/> (<c>[^1]</c>), by
/// <see cref="Range"/> (<c>[..^3]</c>) and by name, and frozen or unfrozen as a whole.
/// </summary>
public sealed class LayerList : IReadOnlyList<Layer>
{
    private readonly Layer[] _layers;

    internal LayerList(IEnumerable<Layer> layers) => _layers = layers.ToArray();

    /// <inheritdoc/>
    public int Count => _layers.Length;

    /// <summary>The layer at a position.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When the position is outside the list.</exception>
    public Layer this[int index]
    {
        get
        {
            if (index < 0 || index >= _layers.Length)
                throw new ArgumentOutOfRangeException(nameof(index), index, $"The list has {_layers.Length} layers ({Describe()}).");
            return _layers[index];
        }
    }

    /// <summary>The layer at an index from either end (<c>[^1]</c> is the last).</summary>
    public Layer this[Index index] => this[index.GetOffset(_layers.Length)];

    /// <summary>A slice of the list (<c>[..^3]</c>: all but the last three).</summary>
    /// <exception cref="ArgumentOutOfRangeException">When the range falls outside the list.</exception>
    public LayerList this[Range range]
    {
        get
        {
            var (offset, length) = range.GetOffsetAndLength(_layers.Length);
            return new LayerList(_layers.Skip(offset).Take(length));
        }
    }

    /// <summary>The layer with this name (<c>"layer4"</c>, <c>"features.3"</c>).</summary>
    /// <exception cref="KeyNotFoundException">When no layer has the name; the message lists the names.</exception>
    public Layer this[string name] => this[IndexOf(name)];

    /// <summary>The layers' names in order.</summary>
    public IReadOnlyList<string> Names => _layers.Select(l => l.Name).ToArray();

    /// <summary>The position of the layer named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">When no layer has the name.</exception>
    public int IndexOf(string name)
    {
        for (int i = 0; i < _layers.Length; i++)
            if (_layers[i].Name == name) return i;
        throw new KeyNotFoundException($"No layer named '{name}'. Layers: {Describe()}.");
    }

    /// <summary>True only if every layer in the list is trainable; setting applies to each.</summary>
    public bool Trainable
    {
        get => _layers.All(l => l.Trainable);
        set
        {
            foreach (var layer in _layers) layer.Trainable = value;
        }
    }

    /// <summary>Freezes every layer in the list.</summary>
    public LayerList Freeze()
    {
        foreach (var layer in _layers) layer.Freeze();
        return this;
    }

    /// <summary>Unfreezes every layer in the list; BatchNorm stays in inference mode unless asked.</summary>
    public LayerList Unfreeze(bool batchNormTraining = false)
    {
        foreach (var layer in _layers) layer.Unfreeze(batchNormTraining);
        return this;
    }

    /// <summary>
    /// Freezes the list except its last <paramref name="count"/> layers that hold weights (pooling and activation
    /// layers do not count); the parameter-free layers after the first unfrozen one read as trainable too, so the
    /// list reads as "frozen up to here". BatchNorm stays in inference mode unless <paramref name="batchNormTraining"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="count"/> is negative.</exception>
    public LayerList UnfreezeTop(int count, bool batchNormTraining = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Freeze();
        var weighted = _layers.Select((layer, index) => (layer, index)).Where(p => p.layer.ParameterCount > 0).ToList();
        if (count > 0 && weighted.Count > 0) this[weighted[Math.Max(0, weighted.Count - count)].index..].Unfreeze(batchNormTraining);
        return this;
    }

    /// <summary>Weights of all layers in the list, keys prefixed with the layer names.</summary>
    public IReadOnlyList<Weight> Weights =>
        _layers.SelectMany(l => l.Weights.Select(w => w with { Name = $"{l.Name}.{w.Name}" })).ToList();

    /// <summary>Trainable weights of all layers in the list.</summary>
    public IReadOnlyList<Weight> TrainableWeights => Weights.Where(w => w.Trainable).ToList();

    /// <summary>Frozen parameters and buffers of all layers in the list.</summary>
    public IReadOnlyList<Weight> NonTrainableWeights => Weights.Where(w => !w.Trainable).ToList();

    /// <summary>Summed counts over the list.</summary>
    public WeightCounts Counts => _layers.Select(l => l.Counts).Aggregate(default(WeightCounts), (a, b) =>
        new WeightCounts(a.TrainableParameters + b.TrainableParameters, a.FrozenParameters + b.FrozenParameters,
            a.BufferScalars + b.BufferScalars, a.TrainableTensors + b.TrainableTensors, a.NonTrainableTensors + b.NonTrainableTensors));

    /// <inheritdoc/>
    public IEnumerator<Layer> GetEnumerator() => ((IEnumerable<Layer>)_layers).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private string Describe() =>
        _layers.Length <= 24
            ? string.Join(", ", _layers.Select(l => l.Name))
            : string.Join(", ", _layers.Take(12).Select(l => l.Name)) + ", …, " + string.Join(", ", _layers.TakeLast(6).Select(l => l.Name));
}
