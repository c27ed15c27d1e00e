namespace Graft.Bench.Workloads;

/// <summary>One line of the results table: a name for the command line, what it measures and how to read it.</summary>
/// <param name="Name">Command-line name (<c>infer-resnet18</c>).</param>
/// <param name="Title">What the table calls it.</param>
/// <param name="Unit">Unit of the value (<c>img/s</c>, <c>MiB</c>, <c>% of conv roof</c>).</param>
/// <param name="HigherIsBetter">False for memory: the ratio is then PyTorch / Graft, so above 1 still means Graft wins.</param>
public sealed record Workload(string Name, string Title, string Unit, bool HigherIsBetter = true)
{
    /// <summary>Graft relative to a peer value: above 1 means Graft is better.</summary>
    public double Ratio(double graft, double peer) => HigherIsBetter ? graft / peer : peer / graft;
}
