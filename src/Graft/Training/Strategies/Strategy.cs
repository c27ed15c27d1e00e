using Graft.Layers;

namespace Graft.Training.Strategies;

/// <summary>
/// A named way of training a model, picked by the user and run by <see cref="Learner.Run"/>:
/// <see cref="Scratch"/> (the baseline), <see cref="FeatureExtraction"/> (frozen base, new head) and
/// <see cref="FineTune"/> (feature extraction, then the top of the base at a much lower learning rate).
/// </summary>
/// <remarks>A strategy is plain code over the learner's public API: it freezes and unfreezes layers and calls
/// <see cref="Learner.Fit(FitOptions, CancellationToken)"/> once per phase. Custom strategies derive from this record.</remarks>
public abstract record Strategy
{
    /// <summary>The strategy's name, recorded in results and checkpoints.</summary>
    public abstract string Name { get; }

    /// <summary>Carries out the strategy's phases on <paramref name="learner"/>.</summary>
    protected internal abstract void Execute(Learner learner, CancellationToken cancellation);

    /// <summary>The learner's model as a network.</summary>
    /// <exception cref="InvalidOperationException">When the model is not a <see cref="Network"/>.</exception>
    protected Network RequireNetwork(Learner learner) => learner.Network
        ?? throw new InvalidOperationException(
            $"Strategy '{Name}' needs a Graft Network (base layers and a head) but the learner's model is a {learner.Model.GetType().Name}. "
            + "Build the model as a Network, or train it with learner.Fit.");
}
