using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Layers;

/// <summary>
/// One named layer of a model: a view over a TorchSharp module with Keras' vocabulary
/// (<see cref="Trainable"/>, weights, counts). Views are cheap and hold no state of their own: two views of
/// the same module agree, and changes take effect at once, with no recompile or new optimizer.
/// </summary>
public sealed class Layer
{
    internal Layer(string name, nn.Module module)
    {
        Name = name;
        Module = module;
    }

    /// <summary>The layer's name, equal to the prefix of its weight keys (<c>layer4</c>, <c>features.3</c>).</summary>
    public string Name { get; }

    /// <summary>The TorchSharp module behind the view.</summary>
    public nn.Module Module { get; }

    /// <summary>The module as a tensor-to-tensor layer, for rebuilding networks from slices.</summary>
    /// <exception cref="InvalidOperationException">When the module does not map one tensor to one tensor.</exception>
    internal nn.Module<Tensor, Tensor> ForwardModule => Module as nn.Module<Tensor, Tensor>
        ?? throw new InvalidOperationException($"Layer '{Name}' ({TypeName}) does not map a tensor to a tensor, so it cannot be part of a Network.");

    /// <summary>The module's type name (<c>Conv2d</c>, <c>BasicBlock</c>, …).</summary>
    public string TypeName => Module.GetType().Name;

    /// <summary>
    /// Keras' <c>trainable</c>, recursive. Setting it sets every descendant; reading it is true only when every
    /// descendant is trainable. Freezing pins BatchNorm layers to inference mode (they use and never update
    /// their running statistics, even while the model is in training mode); unfreezing leaves them pinned, as
    /// Keras' fine-tuning guide advises, unless <see cref="Unfreeze"/> is told otherwise.
    /// </summary>
    public bool Trainable
    {
        get => Trainability.IsTrainable(Module);
        set => Trainability.SetTrainable(Module, value);
    }

    /// <summary>Freezes the layer and all its descendants.</summary>
    public Layer Freeze()
    {
        Trainability.SetTrainable(Module, false);
        return this;
    }

    /// <summary>Unfreezes the layer; BatchNorm stays in inference mode unless <paramref name="batchNormTraining"/>.</summary>
    public Layer Unfreeze(bool batchNormTraining = false)
    {
        Trainability.SetTrainable(Module, true, batchNormTraining);
        return this;
    }

    /// <summary>The layer's own layers: a <see cref="Network"/>'s layers, or any module's named children.</summary>
    public LayerList Layers => Module is Network network
        ? network.Layers
        : new LayerList(Module.named_children().Select(c => new Layer(c.name, c.module)));

    /// <summary>Every parameter and buffer, Keras' <c>weights</c>, with keys relative to this layer.</summary>
    public IReadOnlyList<Weight> Weights => Weight.Of(Module);

    /// <summary>Parameters that the optimizer will update.</summary>
    public IReadOnlyList<Weight> TrainableWeights => Weights.Where(w => w.Trainable).ToList();

    /// <summary>Frozen parameters and buffers (BatchNorm running statistics and counters).</summary>
    public IReadOnlyList<Weight> NonTrainableWeights => Weights.Where(w => !w.Trainable).ToList();

    /// <summary>Number of scalars in parameters (buffers excluded), as torchvision and timm count them.</summary>
    public long ParameterCount => WeightCounts.Of(Module).Parameters;

    /// <summary>Counts of parameters and buffers, trainable and not.</summary>
    public WeightCounts Counts => WeightCounts.Of(Module);

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({TypeName}, {ParameterCount:N0} parameters, {(Trainable ? "trainable" : "frozen")})";
}
