using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Graft.Training.Strategies;

/// <summary>Draws fresh random weights for a model with PyTorch's default initialisations (from torch's global
/// generator, so <c>Compute.Seed</c> makes them reproducible).</summary>
public static class Reinitialization
{
    /// <summary>Re-initialises every convolution, linear and normalisation layer of <paramref name="model"/>;
    /// BatchNorm running statistics are reset too.</summary>
    /// <remarks>A module that implements <see cref="IReinitializable"/> re-draws itself and its descendants instead.</remarks>
    /// <exception cref="NotSupportedException">When a module holds parameters of its own that Graft does not know how
    /// to re-initialise (the message names it), so a baseline is never silently half-pretrained.</exception>
    public static void Reset(nn.Module model)
    {
        using var noGrad = no_grad();
        var selfReset = new HashSet<nn.Module>(ReferenceEqualityComparer.Instance);
        foreach (var (name, module) in model.named_modules().Prepend(("", model)).DistinctBy(m => m.Item2))
        {
            // named_modules lists parents before children, so a self-resetting module is seen before its parts.
            if (selfReset.Contains(module)) continue;
            if (module is IReinitializable own)
            {
                own.ResetParameters();
                foreach (var part in module.modules()) selfReset.Add(part);
                continue;
            }
            switch (module)
            {
                case Convolution convolution:
                    convolution.reset_parameters();
                    break;
                case NormBase norm:
                    norm.reset_parameters();
                    break;
                case LayerNorm layerNorm:
                    layerNorm.reset_parameters();
                    break;
                case Linear linear:
                    ResetLinear(linear);
                    break;
                default:
                    if (module.named_parameters(recurse: false).Any())
                        throw new NotSupportedException(
                            $"Cannot re-initialise module '{name}' ({module.GetType().Name}): it holds parameters of its own and has no known initialisation.");
                    break;
            }
        }
    }

    // PyTorch's nn.Linear default: Kaiming-uniform with a = sqrt(5), i.e. U(-1/sqrt(fan_in), 1/sqrt(fan_in)), same for the bias.
    private static void ResetLinear(Linear linear)
    {
        nn.init.kaiming_uniform_(linear.weight!, Math.Sqrt(5));
        if (linear.bias is { } bias)
        {
            double bound = 1 / Math.Sqrt(linear.in_features);
            nn.init.uniform_(bias, -bound, bound);
        }
    }
}
