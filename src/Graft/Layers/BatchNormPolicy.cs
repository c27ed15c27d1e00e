using System.Runtime.CompilerServices;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Graft.Layers;

/// <summary>
/// Keeps frozen BatchNorm layers in inference mode, as Keras does for <c>trainable = False</c>: a pinned
/// BatchNorm normalises with its running statistics and never updates them, even while the model around it is
/// in training mode. Without this, fine-tuning a small dataset in <c>train()</c> mode overwrites statistics
/// learned on ImageNet with a few batches' worth and wrecks the pretrained features.
/// </summary>
/// <remarks>
/// TorchSharp's BatchNorm classes are sealed, so the policy works through a forward pre-hook that each pinned
/// layer gets once: before every forward it switches the layer to eval mode. That reaches a BatchNorm anywhere
/// in any module tree, whatever calls <c>train()</c> on it, as long as it is invoked through <c>call</c>.
/// </remarks>
public static class BatchNormPolicy
{
    private static readonly ConditionalWeakTable<nn.Module, Pin> Pins = new();

    /// <summary>True for BatchNorm1d/2d/3d.</summary>
    public static bool IsBatchNorm(nn.Module module) => module is BatchNorm;

    /// <summary>True when <paramref name="module"/> is a BatchNorm pinned to inference mode.</summary>
    public static bool IsPinned(nn.Module module) => Pins.TryGetValue(module, out var pin) && pin.Active;

    /// <summary>Pins a BatchNorm layer to inference mode (idempotent).</summary>
    public static void PinInference(nn.Module module)
    {
        if (module is not BatchNorm batchNorm) return;
        var pin = Pins.GetValue(batchNorm, static m => Pin.Attach((BatchNorm)m));
        pin.Active = true;
        batchNorm.eval();
    }

    /// <summary>Lets a BatchNorm layer follow the model's train/eval mode again.</summary>
    public static void Release(nn.Module module)
    {
        if (Pins.TryGetValue(module, out var pin)) pin.Active = false;
    }

    private sealed class Pin
    {
        public bool Active { get; set; }

        public static Pin Attach(BatchNorm batchNorm)
        {
            var pin = new Pin();
            batchNorm.register_forward_pre_hook((module, input) =>
            {
                if (pin.Active && module.training) module.eval();
                return input;
            });
            return pin;
        }
    }
}
