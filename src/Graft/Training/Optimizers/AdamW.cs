namespace Graft.Training.Optimizers;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter, 2019, https://arxiv.org/abs/1711.05101): Adam with weight decay applied to the
/// weights directly (<c>w ← w·(1 − lr·wd)</c>) rather than through the gradient, as <c>torch.optim.AdamW</c>.
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates AdamW over <paramref name="groups"/>.</summary>
    /// <inheritdoc cref="Adam(IEnumerable{ParameterGroup}, double, double, double)"/>
    public AdamW(IEnumerable<ParameterGroup> groups, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
        : base(groups, beta1, beta2, epsilon)
    {
    }

    /// <inheritdoc/>
    protected override bool DecoupledWeightDecay => true;
}
