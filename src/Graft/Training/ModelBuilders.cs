using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Training;

/// <summary>
/// Builds an untrained model of a given architecture for <see cref="SavedModel.Load"/>. Architectures are
/// registered by name; a resolver (the model zoo's lookup) answers for any name not registered explicitly.
/// </summary>
public static class ModelBuilders
{
    private static readonly Dictionary<string, Func<ModelInfo, nn.Module<Tensor, Tensor>>> Builders = new(StringComparer.OrdinalIgnoreCase);
    private static readonly object Gate = new();

    /// <summary>
    /// Asked for architectures that are not registered: returns a model for the info (with
    /// <see cref="ModelInfo.Outputs"/> outputs) or null when it does not know the name. The zoo sets this.
    /// </summary>
    public static Func<ModelInfo, nn.Module<Tensor, Tensor>?>? Resolver { get; set; }

    /// <summary>Registers (or replaces) the builder of <paramref name="architecture"/>.</summary>
    public static void Register(string architecture, Func<ModelInfo, nn.Module<Tensor, Tensor>> build)
    {
        lock (Gate) Builders[architecture] = build;
    }

    /// <summary>Builds a model for <paramref name="info"/>.</summary>
    /// <exception cref="KeyNotFoundException">When no builder or resolver knows the architecture.</exception>
    public static nn.Module<Tensor, Tensor> Build(ModelInfo info)
    {
        Func<ModelInfo, nn.Module<Tensor, Tensor>>? build;
        lock (Gate) Builders.TryGetValue(info.Architecture, out build);
        var model = build?.Invoke(info) ?? Resolver?.Invoke(info) ?? FromZoo(info);
        if (model is not null) return model;
        string known;
        lock (Gate) known = Builders.Count == 0 ? "none registered" : string.Join(", ", Builders.Keys.Order());
        throw new KeyNotFoundException(
            $"No builder for architecture '{info.Architecture}' (registered: {known}; zoo: {string.Join(", ", Graft.Models.Zoo.Names)}). Register one with ModelBuilders.Register or set ModelBuilders.Resolver.");
    }

    // Zoo architectures need no registration: the saved metadata names the architecture, its outputs and channels.
    private static nn.Module<Tensor, Tensor>? FromZoo(ModelInfo info)
    {
        if (!Graft.Models.Zoo.Names.Contains(info.Architecture, StringComparer.OrdinalIgnoreCase)) return null;
        return Graft.Models.Zoo.Create(info.Architecture, numClasses: info.Outputs > 0 ? info.Outputs : null, inChannels: info.InputChannels);
    }
}
