using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Graft.Training.Optimizers;

/// <summary>
/// Stochastic gradient descent with optional momentum, dampening and Nesterov momentum (Sutskever et al., 2013),
/// with <c>torch.optim.SGD</c>'s update rule and slot name (<c>momentum_buffer</c>).
/// </summary>
public sealed class Sgd : Optimizer
{
    /// <summary>Creates SGD over <paramref name="groups"/>.</summary>
    /// <param name="groups">Parameter groups.</param>
    /// <param name="momentum">Momentum factor (0 for plain SGD).</param>
    /// <param name="dampening">Dampening of momentum.</param>
    /// <param name="nesterov">Use Nesterov momentum (needs momentum &gt; 0 and no dampening).</param>
    /// <exception cref="ArgumentException">When Nesterov is asked with zero momentum or non-zero dampening.</exception>
    public Sgd(IEnumerable<ParameterGroup> groups, double momentum = 0, double dampening = 0, bool nesterov = false)
        : base(groups)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(momentum);
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException($"Nesterov momentum needs momentum > 0 and dampening 0 (got momentum {momentum}, dampening {dampening}).");
        Momentum = momentum;
        Dampening = dampening;
        Nesterov = nesterov;
    }

    /// <summary>Momentum factor.</summary>
    public double Momentum { get; }

    /// <summary>Dampening of momentum.</summary>
    public double Dampening { get; }

    /// <summary>True for Nesterov momentum.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    protected override void Update(Parameter parameter, Tensor grad, ParameterState state, ParameterGroup group)
    {
        // Numbers become native Scalars, disposed here rather than by the finalizer (Native/Scalars).
        using Scalar weightDecay = group.WeightDecay, momentum = Momentum, oneMinusDampening = 1 - Dampening;
        using Scalar negativeLr = -group.LearningRate;
        if (group.WeightDecay != 0) grad = grad.add(parameter, alpha: weightDecay);
        if (Momentum != 0)
        {
            Tensor buffer;
            if (!state.Slots.ContainsKey("momentum_buffer"))
            {
                // PyTorch starts the buffer at the first gradient, not at zero.
                state.SetSlot("momentum_buffer", grad);
                buffer = state.Slots["momentum_buffer"];
            }
            else
            {
                buffer = state.Slots["momentum_buffer"];
                buffer.mul_(momentum).add_(grad, alpha: oneMinusDampening);
            }
            grad = Nesterov ? grad.add(buffer, alpha: momentum) : buffer;
        }
        parameter.add_(grad, alpha: negativeLr);
    }
}
