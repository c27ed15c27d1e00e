namespace Graft.Data.Transforms;

/// <summary>What a transform knows about the sample it is applied to.</summary>
/// <param name="Random">This sample's generator (deterministic for a given seed, epoch and sample).</param>
/// <param name="Training">
/// True when loading for training; random augmentations do nothing otherwise (as Keras' preprocessing layers do at
/// inference).
/// </param>
public readonly record struct TransformContext(Random Random, bool Training)
{
    /// <summary>A uniform draw in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public double Uniform(double low, double high) => low + (high - low) * Random.NextDouble();
}
