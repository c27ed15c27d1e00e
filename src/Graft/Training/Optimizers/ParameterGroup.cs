using TorchSharp.Modules;

namespace Graft.Training.Optimizers;

/// <summary>
/// Parameters that share a learning rate and weight decay: PyTorch's parameter group. Discriminative learning
/// rates are groups with different <see cref="LearningRateScale"/>s (the base of a network at a tenth of the head's).
/// </summary>
public sealed class ParameterGroup
{
    /// <summary>Creates a group.</summary>
    /// <param name="name">A name for logs and checkpoints (<c>head</c>, <c>base</c>).</param>
    /// <param name="parameters">Named parameters; names must be unique across an optimizer's groups.</param>
    /// <param name="learningRate">The learning rate the optimizer uses at the next step.</param>
    /// <param name="weightDecay">Weight decay (L2 for Adam and SGD, decoupled for AdamW).</param>
    /// <param name="learningRateScale">Multiplier applied by a <see cref="Learner"/> to its learning rate for this group.</param>
    public ParameterGroup(string name, IEnumerable<(string Name, Parameter Parameter)> parameters, double learningRate = 1e-3,
        double weightDecay = 0, double learningRateScale = 1)
    {
        Name = name;
        Parameters = parameters.ToArray();
        LearningRate = learningRate;
        WeightDecay = weightDecay;
        LearningRateScale = learningRateScale;
    }

    /// <summary>The group's name.</summary>
    public string Name { get; }

    /// <summary>The named parameters of the group, trainable or not: trainability is read at each step.</summary>
    public IReadOnlyList<(string Name, Parameter Parameter)> Parameters { get; }

    /// <summary>The learning rate used at the next step (schedules set it before each step).</summary>
    public double LearningRate { get; set; }

    /// <summary>Weight decay coefficient.</summary>
    public double WeightDecay { get; set; }

    /// <summary>This group's share of a learner's learning rate (1 for the head, e.g. 0.1 for the base).</summary>
    public double LearningRateScale { get; set; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Parameters.Count} tensors, lr {LearningRate:G4}, wd {WeightDecay:G4}";
}
