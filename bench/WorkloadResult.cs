using Graft.Bench.Workloads;

namespace Graft.Bench;

/// <summary>The medians of one workload's rounds, per side.</summary>
public sealed record WorkloadResult(Workload Workload, Measurement Graft, Measurement User, Measurement Tuned, int Rounds)
{
    /// <summary>Graft against PyTorch as a user runs it (above 1: Graft better).</summary>
    public double RatioVsUser => Workload.Ratio(Graft.Value, User.Value);

    /// <summary>Graft against tuned PyTorch (above 1: Graft better).</summary>
    public double RatioVsTuned => Workload.Ratio(Graft.Value, Tuned.Value);
}
