namespace Graft.Tests.Text;

/// <summary>Tests that measure the process (time, peak memory) run alone, after the parallel tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessMeasurementCollection
{
    public const string Name = "Process measurements";
}
