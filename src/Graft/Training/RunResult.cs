namespace Graft.Training;

/// <summary>The outcome of a strategy: each phase's history, kept separately (feature extraction, then fine-tuning).</summary>
/// <param name="Strategy">The strategy's name.</param>
/// <param name="Phases">The phases in order.</param>
public sealed record RunResult(string Strategy, IReadOnlyList<PhaseResult> Phases)
{
    /// <summary>The phase named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">When no phase has that name.</exception>
    public PhaseResult this[string name] => Phases.FirstOrDefault(p => p.Name == name)
        ?? throw new KeyNotFoundException($"No phase named '{name}'. Phases: {string.Join(", ", Phases.Select(p => p.Name))}.");

    /// <summary>The last epoch of the last phase that ran an epoch.</summary>
    public EpochRecord? Last => Phases.Select(p => p.Last).LastOrDefault(e => e is not null);

    /// <summary>True unless a phase diverged.</summary>
    public bool Succeeded => Phases.All(p => p.Succeeded);
}
