using Graft.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Models;

/// <summary>torchvision's <c>nn.Sequential</c> as a <see cref="Network"/>: children named by position ("0", "1", …),
/// so weight keys read <c>classifier.1.weight</c> exactly as in the published files.</summary>
internal static class Sequential
{
    /// <summary>A network whose layers are named by their position.</summary>
    public static Network Of(string name, IEnumerable<nn.Module<Tensor, Tensor>> layers) =>
        new(name, layers.Select((module, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), module)));

    /// <inheritdoc cref="Of(string, IEnumerable{nn.Module{Tensor, Tensor}})"/>
    public static Network Of(string name, params nn.Module<Tensor, Tensor>[] layers) => Of(name, (IEnumerable<nn.Module<Tensor, Tensor>>)layers);

    /// <summary>A block group whose blocks are listed one by one in the parent's layers (<c>features.0</c> …).</summary>
    public static Network Inline(string name, IEnumerable<nn.Module<Tensor, Tensor>> layers) =>
        new(name, layers.Select((module, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), module)), inline: true, headName: null);
}
