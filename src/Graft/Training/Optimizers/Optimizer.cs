using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Graft.Training.Optimizers;

/// <summary>
/// Base of Graft's optimizers. Trainability is read live at every step: a parameter whose <c>requires_grad</c> is
/// false is skipped entirely (no update, no weight decay, no change to its state), and any gradient it still holds
/// from before it was frozen is dropped. Freezing or unfreezing a layer between two steps therefore changes which
/// parameters move at the very next step, with no new optimizer and no other call.
/// </summary>
public abstract class Optimizer : IDisposable
{
    private readonly Dictionary<Parameter, ParameterState> _state = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates an optimizer over <paramref name="groups"/>.</summary>
    /// <exception cref="ArgumentException">When there is no group or a parameter name or tensor appears twice.</exception>
    protected Optimizer(IEnumerable<ParameterGroup> groups)
    {
        Groups = groups.ToArray();
        if (Groups.Count == 0) throw new ArgumentException("An optimizer needs at least one parameter group.", nameof(groups));
        var names = new HashSet<string>();
        var tensors = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
        foreach (var group in Groups)
            foreach (var (name, parameter) in group.Parameters)
            {
                if (!names.Add(name)) throw new ArgumentException($"Parameter name '{name}' appears twice (group '{group.Name}').", nameof(groups));
                if (!tensors.Add(parameter)) throw new ArgumentException($"Parameter '{name}' is in two groups.", nameof(groups));
            }
    }

    /// <summary>The parameter groups, in the order given.</summary>
    public IReadOnlyList<ParameterGroup> Groups { get; }

    /// <summary>Every named parameter of every group.</summary>
    public IEnumerable<(string Name, Parameter Parameter)> Parameters => Groups.SelectMany(g => g.Parameters);

    /// <summary>Applies one update to each trainable parameter that has a gradient.</summary>
    public void Step()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var group in Groups)
            foreach (var (_, parameter) in group.Parameters)
            {
                if (!parameter.requires_grad)
                {
                    // A gradient left over from before the parameter was frozen must not reach a later step.
                    if (parameter.grad is not null) parameter.grad = null;
                    continue;
                }
                var grad = parameter.grad;
                if (grad is null) continue;
                var state = StateOf(parameter);
                state.Step++;
                Update(parameter, grad, state, group);
            }
    }

    /// <summary>Drops every parameter's gradient (PyTorch's <c>zero_grad(set_to_none=True)</c>).</summary>
    public void ZeroGrad()
    {
        using var scope = NewDisposeScope();
        foreach (var (_, parameter) in Parameters)
            if (parameter.grad is not null) parameter.grad = null;
    }

    /// <summary>
    /// Sets every trainable parameter's gradient to zeros in place, creating it when missing, and drops frozen
    /// parameters' gradients (PyTorch's <c>zero_grad(set_to_none=False)</c>, its default before 2.0). Every
    /// trainable parameter then has a gradient at every step, so one unused by a step's forward pass still moves
    /// by momentum and weight decay, as in PyTorch 1.x.
    /// </summary>
    public void ZeroGradInPlace()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (_, parameter) in Parameters)
        {
            var grad = parameter.grad;
            if (!parameter.requires_grad)
            {
                if (grad is not null) parameter.grad = null;
            }
            else if (grad is null)
            {
                parameter.grad = zeros_like(parameter);
                ReserveState(parameter, StateOf(parameter));
            }
            else grad.zero_();
        }
    }

    /// <summary>
    /// Creates the state <see cref="Update"/> will need for <paramref name="parameter"/> ahead of its first update
    /// (called by <see cref="ZeroGradInPlace"/> before the step's forward pass, so the buffers sit below that step's
    /// activations in the heap instead of in the gap they leave). Nothing by default.
    /// </summary>
    protected virtual void ReserveState(Parameter parameter, ParameterState state)
    {
    }

    /// <summary>Updates one parameter in place. Called under <c>no_grad</c> inside a dispose scope; the step count
    /// of <paramref name="state"/> already includes this step.</summary>
    protected abstract void Update(Parameter parameter, Tensor grad, ParameterState state, ParameterGroup group);

    /// <summary>The state of <paramref name="parameter"/>, created empty on first use.</summary>
    protected ParameterState StateOf(Parameter parameter)
    {
        if (!_state.TryGetValue(parameter, out var state))
        {
            state = new ParameterState();
            _state[parameter] = state;
        }
        return state;
    }

    /// <summary>The state kept for <paramref name="parameter"/>, or null before its first update.</summary>
    public ParameterState? StateFor(Parameter parameter) => _state.GetValueOrDefault(parameter);

    /// <summary>A copy of the optimizer's state, for checkpoints (the caller disposes it).</summary>
    public OptimizerState GetState()
    {
        var copy = new OptimizerState();
        foreach (var group in Groups) copy.LearningRates[group.Name] = group.LearningRate;
        foreach (var (name, parameter) in Parameters)
        {
            if (!_state.TryGetValue(parameter, out var state)) continue;
            copy.Steps[name] = state.Step;
            foreach (var (slot, tensor) in state.Slots)
                copy.Tensors[$"{name}.{slot}"] = tensor.detach().clone().DetachFromDisposeScope();
        }
        return copy;
    }

    /// <summary>Replaces the optimizer's state with a copy of <paramref name="saved"/> (which stays the caller's).</summary>
    /// <exception cref="ArgumentException">When <paramref name="saved"/> names a parameter or group this optimizer
    /// does not have, or a slot's shape differs from its parameter's.</exception>
    public void LoadState(OptimizerState saved)
    {
        using var scope = NewDisposeScope();
        var byName = Parameters.ToDictionary(p => p.Name, p => p.Parameter);
        foreach (var name in saved.Steps.Keys)
            if (!byName.ContainsKey(name))
                throw new ArgumentException($"Optimizer state has parameter '{name}', which this optimizer does not hold.", nameof(saved));
        foreach (var group in saved.LearningRates.Keys)
            if (Groups.All(g => g.Name != group))
                throw new ArgumentException($"Optimizer state has group '{group}'; this optimizer's groups are {string.Join(", ", Groups.Select(g => g.Name))}.", nameof(saved));

        foreach (var state in _state.Values) state.Dispose();
        _state.Clear();
        foreach (var group in Groups)
            if (saved.LearningRates.TryGetValue(group.Name, out double lr)) group.LearningRate = lr;
        foreach (var (name, step) in saved.Steps)
        {
            var parameter = byName[name];
            var state = StateOf(parameter);
            state.Step = step;
            string prefix = name + ".";
            foreach (var (key, tensor) in saved.Tensors)
            {
                if (!key.StartsWith(prefix, StringComparison.Ordinal) || key.IndexOf('.', prefix.Length) >= 0) continue;
                if (!tensor.shape.SequenceEqual(parameter.shape))
                    throw new ArgumentException(
                        $"Optimizer state '{key}' has shape [{string.Join(", ", tensor.shape)}]; parameter '{name}' has [{string.Join(", ", parameter.shape)}].", nameof(saved));
                state.SetSlot(key[prefix.Length..], tensor.to(parameter.device));
            }
        }
    }

    /// <summary>Disposes the optimizer's state tensors (never the parameters).</summary>
    public void Dispose()
    {
        foreach (var state in _state.Values) state.Dispose();
        _state.Clear();
        GC.SuppressFinalize(this);
    }
}
