using System.Runtime.CompilerServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Layers;

/// <summary>
/// Keras' recursive <c>trainable</c> flag over TorchSharp modules. A parameter's trainability is its
/// <c>requires_grad</c>, so autograd allocates no gradient for a frozen weight and the change is seen at the
/// very next step with nothing to rebuild. Modules without parameters (pooling, activations) remember the flag
/// they were given so that reading it back agrees with what was set.
/// </summary>
public static class Trainability
{
    private static readonly ConditionalWeakTable<nn.Module, StrongBox<bool>> Declared = new();

    /// <summary>True only if every parameter of <paramref name="module"/> and its descendants requires a
    /// gradient and no descendant was declared frozen.</summary>
    public static bool IsTrainable(nn.Module module)
    {
        foreach (var (_, parameter) in module.named_parameters())
            if (!parameter.requires_grad) return false;
        foreach (var (_, descendant) in module.named_modules())
            if (Declared.TryGetValue(descendant, out var flag) && !flag.Value) return false;
        return !Declared.TryGetValue(module, out var own) || own.Value;
    }

    /// <summary>Sets the flag on <paramref name="module"/> and every descendant.</summary>
    /// <param name="module">The module.</param>
    /// <param name="trainable">The new state.</param>
    /// <param name="batchNormTraining">When unfreezing: also let BatchNorm layers update their statistics in
    /// training mode again. When freezing this is ignored: a frozen BatchNorm always runs in inference mode.</param>
    public static void SetTrainable(nn.Module module, bool trainable, bool batchNormTraining = false)
    {
        foreach (var (_, parameter) in module.named_parameters())
            parameter.requires_grad = trainable;
        foreach (var descendant in SelfAndDescendants(module))
        {
            Declared.AddOrUpdate(descendant, new StrongBox<bool>(trainable));
            if (!BatchNormPolicy.IsBatchNorm(descendant)) continue;
            if (!trainable) BatchNormPolicy.PinInference(descendant);
            else if (batchNormTraining) BatchNormPolicy.Release(descendant);
        }
    }

    private static IEnumerable<nn.Module> SelfAndDescendants(nn.Module module)
    {
        yield return module;
        foreach (var (_, descendant) in module.named_modules())
            if (!ReferenceEquals(descendant, module)) yield return descendant;
    }
}
