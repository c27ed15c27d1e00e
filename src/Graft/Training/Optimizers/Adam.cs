using Graft.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Graft.Training.Optimizers;

/// <summary>
/// Adam (Kingma &amp; Ba, 2015, https://arxiv.org/abs/1412.6980) with PyTorch's update order and slot names
/// (<c>exp_avg</c>, <c>exp_avg_sq</c>). Weight decay here is L2 added to the gradient, as in <c>torch.optim.Adam</c>;
/// use <see cref="AdamW"/> for decoupled decay.
/// </summary>
public class Adam : Optimizer
{
    /// <summary>Creates Adam over <paramref name="groups"/>.</summary>
    /// <param name="groups">Parameter groups (each with its learning rate and weight decay).</param>
    /// <param name="beta1">Decay of the first-moment average.</param>
    /// <param name="beta2">Decay of the second-moment average.</param>
    /// <param name="epsilon">Added to the denominator for stability.</param>
    /// <exception cref="ArgumentOutOfRangeException">When a beta is outside [0, 1) or epsilon is negative.</exception>
    public Adam(IEnumerable<ParameterGroup> groups, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
        : base(groups)
    {
        if (beta1 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "Expected 0 <= beta1 < 1.");
        if (beta2 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "Expected 0 <= beta2 < 1.");
        ArgumentOutOfRangeException.ThrowIfNegative(epsilon);
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
    }

    /// <summary>Creates Adam over one group of named parameters.</summary>
    public Adam(IEnumerable<(string Name, Parameter Parameter)> parameters, double learningRate = 1e-3, double weightDecay = 0)
        : this([new ParameterGroup("all", parameters, learningRate, weightDecay)])
    {
    }

    /// <summary>First-moment decay.</summary>
    public double Beta1 { get; }

    /// <summary>Second-moment decay.</summary>
    public double Beta2 { get; }

    /// <summary>Denominator epsilon.</summary>
    public double Epsilon { get; }

    /// <summary>True when weight decay is decoupled from the gradient (AdamW).</summary>
    protected virtual bool DecoupledWeightDecay => false;

    /// <inheritdoc/>
    protected override void ReserveState(Parameter parameter, ParameterState state)
    {
        state.Slot("exp_avg", parameter);
        state.Slot("exp_avg_sq", parameter);
    }

    /// <inheritdoc/>
    protected override void Update(Parameter parameter, Tensor grad, ParameterState state, ParameterGroup group)
    {
        // Every number handed to libtorch becomes a native Scalar, disposed here rather than left to the finalizer
        // (Native/Scalars).
        double lr = group.LearningRate;
        if (group.WeightDecay != 0)
        {
            if (DecoupledWeightDecay)
            {
                using Scalar decay = 1 - lr * group.WeightDecay;
                parameter.mul_(decay);
            }
            else
            {
                using Scalar wd = group.WeightDecay;
                grad = grad.add(parameter, alpha: wd);
            }
        }
        var expAvg = state.Slot("exp_avg", parameter);
        var expAvgSq = state.Slot("exp_avg_sq", parameter);
        double biasCorrection1 = 1 - Math.Pow(Beta1, state.Step);
        double sqrtCorrection2 = Math.Sqrt(1 - Math.Pow(Beta2, state.Step));
        // sqrt(v)/c + eps = (sqrt(v) + eps·c)/c moves the division by c into the step size: one pass over the
        // parameter's size less (TorchSharp 0.107's lerp_ with a number weight throws, so no fused mul_ + add_).
        using Scalar beta1 = Beta1, oneMinusBeta1 = 1 - Beta1, beta2 = Beta2, oneMinusBeta2 = 1 - Beta2;
        using Scalar epsilon = Epsilon * sqrtCorrection2, stepSize = -lr * sqrtCorrection2 / biasCorrection1;
        expAvg.mul_(beta1).add_(grad, alpha: oneMinusBeta1);
        expAvgSq.mul_(beta2).addcmul_(grad, grad, value: oneMinusBeta2);
        using var denom = expAvgSq.sqrt().add_(epsilon, alpha: Scalars.One);
        parameter.addcdiv_(expAvg, denom, value: stepSize);
    }
}
