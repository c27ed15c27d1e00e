using static TorchSharp.torch;

namespace Graft.Training.Optimizers;

/// <summary>
/// An optimizer's memory for one parameter: its step count and named slot tensors (Adam's <c>exp_avg</c> and
/// <c>exp_avg_sq</c>, SGD's <c>momentum_buffer</c>). Kept while the parameter is frozen, so unfreezing resumes
/// from where it stopped.
/// </summary>
public sealed class ParameterState : IDisposable
{
    private readonly Dictionary<string, Tensor> _slots = new();

    /// <summary>Updates applied to the parameter so far.</summary>
    public long Step { get; set; }

    /// <summary>The slot tensors by name (owned by this state).</summary>
    public IReadOnlyDictionary<string, Tensor> Slots => _slots;

    /// <summary>The slot <paramref name="name"/>, created as zeros like <paramref name="like"/> on first use.</summary>
    public Tensor Slot(string name, Tensor like)
    {
        if (!_slots.TryGetValue(name, out var slot))
        {
            // Optimizer state outlives every per-step dispose scope.
            slot = zeros_like(like).DetachFromDisposeScope();
            _slots[name] = slot;
        }
        return slot;
    }

    /// <summary>Replaces slot <paramref name="name"/> with a detached copy of <paramref name="value"/>.</summary>
    public void SetSlot(string name, Tensor value)
    {
        if (_slots.Remove(name, out var old)) old.Dispose();
        _slots[name] = value.detach().clone().DetachFromDisposeScope();
    }

    /// <summary>Disposes the slot tensors.</summary>
    public void Dispose()
    {
        foreach (var slot in _slots.Values) slot.Dispose();
        _slots.Clear();
    }
}
