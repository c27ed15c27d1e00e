using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Layers;

/// <summary>
/// Scalar counts of a layer's weights. <see cref="Parameters"/> counts learnable parameters only (torchvision's
/// and timm's convention: ResNet-18 has 11,689,512); <see cref="BufferScalars"/> counts state such as BatchNorm
/// running statistics, which Keras lists among the non-trainable weights.
/// </summary>
public readonly record struct WeightCounts(long TrainableParameters, long FrozenParameters, long BufferScalars, int TrainableTensors, int NonTrainableTensors)
{
    /// <summary>All learnable parameters, trainable or frozen.</summary>
    public long Parameters => TrainableParameters + FrozenParameters;

    /// <summary>Keras' non-trainable count: frozen parameters plus buffers.</summary>
    public long NonTrainableScalars => FrozenParameters + BufferScalars;

    /// <summary>Counts the weights of <paramref name="module"/>.</summary>
    public static WeightCounts Of(nn.Module module)
    {
        long trainable = 0, frozen = 0, buffers = 0;
        int trainableTensors = 0, nonTrainableTensors = 0;
        foreach (var weight in Weight.Of(module))
        {
            if (weight.Trainable) { trainable += weight.Count; trainableTensors++; }
            else
            {
                nonTrainableTensors++;
                if (weight.IsParameter) frozen += weight.Count; else buffers += weight.Count;
            }
        }
        return new WeightCounts(trainable, frozen, buffers, trainableTensors, nonTrainableTensors);
    }
}
