using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Graft.Models;

/// <summary>The initialisation torchvision gives MobileNetV2/V3, EfficientNet and VGG, in module order: He-normal
/// (fan-out) convolutions with zero bias, identity BatchNorm, and linear layers as the architecture says.</summary>
internal static class ConvNetInit
{
    /// <summary>Re-initialises every convolution, BatchNorm and linear layer of <paramref name="model"/>.</summary>
    /// <param name="model">The freshly constructed model.</param>
    /// <param name="linear">The architecture's linear-layer initialisation (<see cref="SmallNormal"/> for most).</param>
    public static void Apply(nn.Module model, Action<Linear> linear)
    {
        foreach (var module in TorchvisionInit.PreOrder(model))
        {
            switch (module)
            {
                case Conv2d conv:
                    TorchvisionInit.KaimingNormalFanOut(conv.weight);
                    TorchvisionInit.Constant(conv.bias, 0.0);
                    break;
                case BatchNorm2d:
                    TorchvisionInit.IdentityNorm(module);
                    break;
                case Linear layer:
                    linear(layer);
                    break;
            }
        }
    }

    /// <summary>MobileNet's and VGG's linear layers: weights from N(0, 0.01²), bias 0.</summary>
    public static void SmallNormal(Linear linear)
    {
        TorchvisionInit.Normal(linear.weight, 0.0, 0.01);
        TorchvisionInit.Constant(linear.bias, 0.0);
    }

    /// <summary>A new linear layer initialised by <paramref name="init"/>.</summary>
    public static Linear NewLinear(long inFeatures, long outFeatures, Action<Linear> init)
    {
        var linear = nn.Linear(inFeatures, outFeatures);
        init(linear);
        return linear;
    }
}
