using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Layers;

/// <summary>
/// A model as an ordered list of named layers, Keras-style: the forward pass runs the layers in order, each
/// layer's output feeding the next. Every model of the zoo is a <see cref="Network"/>, with layer names equal
/// to the parameter-name prefixes of the published weights (<c>conv1</c>, <c>layer4</c>, <c>fc</c> for a
/// ResNet), so <c>state_dict()</c> keys match torchvision's.
/// </summary>
/// <remarks>
/// A child that is itself a <see cref="Network"/> built with <c>inline: true</c> (a block group such as a
/// MobileNet's <c>features</c>) contributes its own layers to <see cref="Layers"/> with dotted names
/// (<c>features.0</c> … <c>features.18</c>), so freezing and slicing reach individual blocks while the
/// weight keys stay torchvision's. Networks nest: a whole network can be one layer of another.
/// </remarks>
public class Network : nn.Module<Tensor, Tensor>, ITransferModel
{
    private readonly List<(string Name, nn.Module<Tensor, Tensor> Module)> _children = new();

    /// <summary>Creates a network from named layers in forward order.</summary>
    /// <param name="name">The network's name (shown by <see cref="ModelSummary"/>).</param>
    /// <param name="layers">The layers, in the order the forward pass runs them.</param>
    /// <exception cref="ArgumentException">When a name is empty, repeated, or contains a dot.</exception>
    public Network(string name, IEnumerable<(string Name, nn.Module<Tensor, Tensor> Module)> layers)
        : this(name, layers, inline: false, headName: null)
    {
    }

    /// <summary>Creates a network from named layers in forward order.</summary>
    public Network(string name, params (string Name, nn.Module<Tensor, Tensor> Module)[] layers)
        : this(name, layers, inline: false, headName: null)
    {
    }

    /// <summary>Creates a network with all options.</summary>
    /// <param name="name">The network's name.</param>
    /// <param name="layers">The layers in forward order.</param>
    /// <param name="inline">When this network is a layer of another, list its layers in the parent's
    /// <see cref="Layers"/> (dotted names) instead of appearing as one layer.</param>
    /// <param name="headName">The name of the classification head (defaults to the last layer).</param>
    public Network(string name, IEnumerable<(string Name, nn.Module<Tensor, Tensor> Module)> layers, bool inline, string? headName)
        : base(name)
    {
        foreach (var (layerName, module) in layers)
        {
            if (string.IsNullOrWhiteSpace(layerName) || layerName.Contains('.'))
                throw new ArgumentException($"Layer name '{layerName}' is not valid: names are non-empty and contain no dot.", nameof(layers));
            if (_children.Any(c => c.Name == layerName))
                throw new ArgumentException($"Layer name '{layerName}' appears twice in network '{name}'.", nameof(layers));
            ArgumentNullException.ThrowIfNull(module);
            _children.Add((layerName, module));
            register_module(layerName, module);
        }
        if (_children.Count == 0) throw new ArgumentException($"Network '{name}' needs at least one layer.", nameof(layers));
        Inline = inline;
        HeadName = headName ?? ExpandLayers(this, prefix: "").Last().Name;
        if (!Layers.Names.Contains(HeadName))
            throw new ArgumentException($"Head '{HeadName}' is not a layer of network '{name}'.", nameof(headName));
    }

    /// <summary>True when this network's layers are listed inside its parent's <see cref="Layers"/>.</summary>
    public bool Inline { get; }

    /// <summary>The name of the layer that is the task head (the last layer unless the builder says otherwise).</summary>
    public string HeadName { get; }

    /// <summary>The direct children in forward order (inline groups not expanded).</summary>
    public IReadOnlyList<(string Name, nn.Module<Tensor, Tensor> Module)> Children => _children;

    /// <summary>The layers in forward order, inline groups expanded with dotted names.</summary>
    public LayerList Layers => new(ExpandLayers(this, prefix: ""));

    /// <summary>The head layer.</summary>
    public Layer Head => Layers[HeadName];

    /// <summary>Trainable state of the whole network: see <see cref="Layer.Trainable"/>.</summary>
    public bool Trainable
    {
        get => Trainability.IsTrainable(this);
        set => Trainability.SetTrainable(this, value);
    }

    /// <summary>Freezes every layer (Keras: <c>trainable = False</c>); frozen BatchNorm runs in inference mode.</summary>
    public Network Freeze()
    {
        Trainability.SetTrainable(this, false);
        return this;
    }

    /// <summary>Unfreezes every layer. BatchNorm layers stay in inference mode unless <paramref name="batchNormTraining"/>.</summary>
    public Network Unfreeze(bool batchNormTraining = false)
    {
        Trainability.SetTrainable(this, true, batchNormTraining);
        return this;
    }

    /// <summary>
    /// Keeps the base frozen except its last <paramref name="count"/> layers that hold weights (pooling and
    /// activation layers do not count), and leaves the head trainable. For a ResNet, <c>UnfreezeTop(1)</c>
    /// unfreezes <c>layer4</c>. BatchNorm layers stay in inference mode unless <paramref name="batchNormTraining"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="count"/> is negative.</exception>
    public Network UnfreezeTop(int count, bool batchNormTraining = false)
    {
        BaseLayers.UnfreezeTop(count, batchNormTraining);
        Head.Unfreeze(batchNormTraining);
        return this;
    }

    /// <summary>The layers before the head.</summary>
    public LayerList BaseLayers
    {
        get
        {
            var all = Layers;
            return all[..all.IndexOf(HeadName)];
        }
    }

    /// <summary>The head and any layer after it (normally the head alone).</summary>
    public LayerList HeadLayers
    {
        get
        {
            var all = Layers;
            return all[all.IndexOf(HeadName)..];
        }
    }

    /// <summary>
    /// A new network that runs this one's layers up to and including <paramref name="layerName"/> and returns
    /// that layer's output. The layers are shared, not copied: training or freezing either network affects both.
    /// </summary>
    /// <exception cref="KeyNotFoundException">When no layer has that name.</exception>
    public Network Features(string layerName)
    {
        var layers = Layers;
        int end = layers.IndexOf(layerName);
        return FromLayers($"{GetName()}.features({layerName})", layers[..(end + 1)], headName: null);
    }

    /// <summary>A new network sharing this one's base, without the head: its output is the feature vector.</summary>
    public Network WithoutHead() =>
        FromLayers($"{GetName()}.base", BaseLayers, headName: null);

    /// <summary>A new network sharing this one's base, with <paramref name="head"/> in place of the head.</summary>
    /// <param name="head">The new head (e.g. <c>nn.Linear(features, classes)</c>).</param>
    /// <param name="name">The new head's layer name; the old head's name by default (so its keys stay the same).</param>
    public Network WithHead(nn.Module<Tensor, Tensor> head, string? name = null)
    {
        string headName = name ?? HeadName;
        var layers = BaseLayers.Select(l => (l.Name, l.ForwardModule)).Append((headName, head));
        return FromPairs(GetName(), layers, headName, inline: false);
    }

    /// <summary>Runs the layers in order.</summary>
    public override Tensor forward(Tensor input)
    {
        Tensor x = input;
        for (int i = 0; i < _children.Count; i++)
        {
            var module = _children[i].Module;
            // A convolution followed by a BatchNorm runs as one folded convolution in inference under no-grad.
            if (i + 1 < _children.Count && BatchNormFolding.TryForward(module, _children[i + 1].Module, x, out var y)) i++;
            else y = module.call(x);
            // Intermediate activations are released as soon as the next layer has consumed them; the caller's
            // input is never disposed. Autograd keeps what it needs through its own references.
            if (!ReferenceEquals(x, input) && !ReferenceEquals(x, y)) x.Dispose();
            x = y;
        }
        return x;
    }

    /// <summary>Registers children in declaration order; <see cref="Network"/> registers them itself.</summary>
    protected override void RegisterComponents()
    {
    }

    private static Network FromLayers(string name, LayerList layers, string? headName) =>
        FromPairs(name, layers.Select(l => (l.Name, l.ForwardModule)), headName, inline: false);

    // Dotted names come from inline groups; rebuilding regroups consecutive layers that share a prefix into
    // inline networks again, so weight keys stay the same (features.3.conv.0.weight).
    private static Network FromPairs(string name, IEnumerable<(string Name, nn.Module<Tensor, Tensor> Module)> layers, string? headName, bool inline)
    {
        var top = new List<(string, nn.Module<Tensor, Tensor>)>();
        var pending = new List<(string Name, nn.Module<Tensor, Tensor> Module)>();
        string? group = null;

        void FlushGroup()
        {
            if (group is null) return;
            var inner = pending.Select(p => (p.Name[(group.Length + 1)..], p.Module)).ToList();
            top.Add((group, FromPairs(group, inner, headName: null, inline: true)));
            pending.Clear();
            group = null;
        }

        foreach (var (layerName, module) in layers)
        {
            int dot = layerName.IndexOf('.');
            string? prefix = dot < 0 ? null : layerName[..dot];
            if (prefix != group) FlushGroup();
            if (prefix is null) top.Add((layerName, module));
            else
            {
                group = prefix;
                pending.Add((layerName, module));
            }
        }
        FlushGroup();
        return new Network(name, top, inline, headName);
    }

    private static IEnumerable<Layer> ExpandLayers(Network network, string prefix)
    {
        foreach (var (name, module) in network._children)
        {
            string full = prefix + name;
            if (module is Network { Inline: true } group)
            {
                foreach (var inner in ExpandLayers(group, full + "."))
                    yield return inner;
            }
            else
            {
                yield return new Layer(full, module);
            }
        }
    }
}
