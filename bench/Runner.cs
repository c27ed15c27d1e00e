using Graft.Bench.DataPipeline;
using Graft.Bench.Workloads;

namespace Graft.Bench;

/// <summary>
/// Runs each workload's sides alternately in fresh processes (Graft, PyTorch as a user runs it, tuned PyTorch;
/// then again, <c>rounds</c> times), so slow drifts of a shared machine fall on all sides alike, and keeps the
/// median of each side.
/// </summary>
public sealed class Runner(BenchSizes sizes, bool quick, int threads, int rounds, string peerScript, TextWriter log)
{
    /// <summary>Measures <paramref name="workloads"/>.</summary>
    public IReadOnlyList<WorkloadResult> Run(IReadOnlyList<Workload> workloads)
    {
        string? folder = null;
        try
        {
            if (workloads.Any(w => w.Name == "data-pipeline"))
            {
                folder = Directory.CreateTempSubdirectory("graft-bench-images-").FullName;
                log.WriteLine($"Generating {sizes.PipelineImages} JPEGs of {sizes.PipelineWidth}x{sizes.PipelineHeight} in {folder}");
                BenchImages.Generate(folder, sizes.PipelineImages, sizes.PipelineWidth, sizes.PipelineHeight);
            }
            var results = new List<WorkloadResult>();
            foreach (var workload in workloads)
            {
                string? data = workload.Name == "data-pipeline" ? folder : null;
                var graft = new List<Measurement>();
                var user = new List<Measurement>();
                var tuned = new List<Measurement>();
                for (int round = 1; round <= rounds; round++)
                {
                    graft.Add(WorkerProcess.RunGraft(workload.Name, quick, threads, data));
                    user.Add(WorkerProcess.RunPeer(peerScript, workload.Name, quick, threads, tuned: false, data));
                    tuned.Add(WorkerProcess.RunPeer(peerScript, workload.Name, quick, threads, tuned: true, data));
                    log.WriteLine($"{workload.Name} round {round}: Graft {Measurement.Format(graft[^1].Value)}, PyTorch user {Measurement.Format(user[^1].Value)}, " +
                                  $"tuned {Measurement.Format(tuned[^1].Value)} {workload.Unit}");
                }
                results.Add(new WorkloadResult(workload, Median(graft), Median(user), Median(tuned), rounds));
            }
            return results;
        }
        finally
        {
            if (folder is not null) Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The run whose value is the median (its side figures stay consistent with it).</summary>
    private static Measurement Median(List<Measurement> runs) => runs.OrderBy(m => m.Value).ElementAt((runs.Count - 1) / 2);
}
