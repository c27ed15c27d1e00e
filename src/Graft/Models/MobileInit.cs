using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Graft.Models;

/// <summary>The initialisation torchvision gives MobileNetV2/V3 and VGG: He-normal (fan-out) convolutions with zero
/// bias, identity BatchNorm, linear layers from N(0, 0.01²) with zero bias, in module order.</summary>
internal static class MobileInit
{
    public static void Apply(nn.Module model)
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
                case TorchSharp.Modules.Linear linear:
                    Linear(linear);
                    break;
            }
        }
    }

    public static void Linear(TorchSharp.Modules.Linear linear)
    {
        TorchvisionInit.Normal(linear.weight, 0.0, 0.01);
        TorchvisionInit.Constant(linear.bias, 0.0);
    }
}
