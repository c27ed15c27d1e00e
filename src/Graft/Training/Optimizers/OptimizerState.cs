using static TorchSharp.torch;

namespace Graft.Training.Optimizers;

/// <summary>
/// A copy of an optimizer's state for checkpoints: slot tensors keyed <c>{parameter}.{slot}</c>, step counts by
/// parameter name, and each group's learning rate. Owns its tensors.
/// </summary>
public sealed class OptimizerState : IDisposable
{
    /// <summary>Slot tensors keyed <c>{parameter name}.{slot name}</c> (e.g. <c>fc.weight.exp_avg</c>).</summary>
    public Dictionary<string, Tensor> Tensors { get; } = new();

    /// <summary>Per-parameter step counts.</summary>
    public Dictionary<string, long> Steps { get; } = new();

    /// <summary>Learning rate of each group by group name.</summary>
    public Dictionary<string, double> LearningRates { get; } = new();

    /// <summary>Disposes the tensors.</summary>
    public void Dispose()
    {
        foreach (var t in Tensors.Values) t.Dispose();
        Tensors.Clear();
    }
}
