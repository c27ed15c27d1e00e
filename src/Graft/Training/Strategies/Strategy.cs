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

    /// <summary>The learner's model as a base and a head (a <see cref="Network"/>, a text classifier, or any
    /// <see cref="ITransferModel"/>).</summary>
    /// <exception cref="InvalidOperationException">When the model does not say which layers are its base and its head.</exception>
    protected ITransferModel RequireTransferModel(Learner learner) => learner.TransferModel
        ?? throw new InvalidOperationException(
            $"Strategy '{Name}' needs a model split into a base and a head (a Graft Network, a text classifier, or any ITransferModel) "
            + $"but the learner's model is a {learner.Model.GetType().Name}. Build the model as a Network, implement ITransferModel, or train it with learner.Fit.");
}
