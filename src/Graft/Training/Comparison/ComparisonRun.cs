using Graft.Training.Strategies;

namespace Graft.Training.Comparison;

/// <summary>One training run of a <see cref="ShotComparison"/>: a strategy trained on a k-shot sample drawn with a seed.</summary>
/// <param name="Strategy">How the model is trained.</param>
/// <param name="Shots">Labelled training examples per class.</param>
/// <param name="Seed">Seeds the k-shot draw, the model's fresh head, data order and augmentation.</param>
public sealed record ComparisonRun(Strategy Strategy, int Shots, int Seed)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Strategy.Name}, {Shots} shots, seed {Seed}";
}
