using Graft.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Training;

/// <summary>
/// The forward pass of a training step. For a <see cref="Network"/> whose first layers are all frozen, those
/// layers run in inference mode under no-grad, so no activation is kept for them (Keras' <c>base(x,
/// training=False)</c>): a frozen base costs its forward pass and nothing more. The rest runs in training mode
/// with autograd. Trainability is read at every call, so freezing between two steps takes effect at once.
/// </summary>
internal static class TrainingForward
{
    /// <summary>Runs <paramref name="model"/> on <paramref name="x"/> for training.</summary>
    public static Tensor Run(nn.Module<Tensor, Tensor> model, Tensor x)
    {
        model.train();
        if (model is not Network network) return model.call(x);
        var layers = network.Layers;
        int frozen = 0;
        while (frozen < layers.Count && !layers[frozen].Trainable) frozen++;
        if (frozen == 0) return model.call(x);

        var h = x;
        using (no_grad())
        {
            for (int i = 0; i < frozen; i++) layers[i].Module.eval();
            for (int i = 0; i < frozen; i++)
            {
                // A frozen stem's conv + BatchNorm layers run as one folded convolution (Layers/BatchNormFolding);
                // blocks fold their own pairs.
                if (i + 1 < frozen && BatchNormFolding.TryForward(layers[i].ForwardModule, layers[i + 1].ForwardModule, h, out var folded))
                {
                    h = folded;
                    i++;
                }
                else
                {
                    h = layers[i].ForwardModule.call(h);
                }
            }
        }
        for (int i = frozen; i < layers.Count; i++) h = layers[i].ForwardModule.call(h);
        return h;
    }
}
