using System.Globalization;
using System.Text;
using Graft.IO;

namespace Graft.Bench;

/// <summary>Writes <c>latest.md</c>: machine, versions, threads, the results table and the issue's goals.</summary>
public static class ResultsReport
{
    /// <summary>The report as Markdown.</summary>
    public static string Render(MachineInfo machine, int threads, bool quick, IReadOnlyList<WorkloadResult> results, DateTime when)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine("# Graft vs PyTorch: benchmark results").AppendLine();
        if (quick) text.AppendLine("**Quick mode: small sizes, one round. These figures check the path; they are not results.**").AppendLine();
        text.AppendLine(c, $"- Run: {when:yyyy-MM-dd HH:mm} UTC, {results.FirstOrDefault()?.Rounds ?? 0} rounds per side, alternating Graft / PyTorch (user) / PyTorch (tuned), medians");
        text.AppendLine(c, $"- Machine: {machine.Cpu}, {machine.Cores} cores, {machine.RamGiB:F1} GiB RAM");
        text.AppendLine(c, $"- Versions: .NET {machine.DotNet}, TorchSharp {machine.TorchSharp}, libtorch {machine.LibTorch}; torch {machine.Torch}, torchvision {machine.TorchVision}");
        text.AppendLine(c, $"- Threads: {threads} on every side; input {(quick ? "64x64, batch 4" : "224x224 RGB, batch 32")} unless the workload says otherwise");
        text.AppendLine("- PyTorch (user): `torch.set_num_threads`, default memory format, default environment. PyTorch (tuned): channels-last model and input, " +
                        "`MALLOC_MMAP_THRESHOLD_`/`MALLOC_TRIM_THRESHOLD_`=16 GiB, `MALLOC_TOP_PAD_`=1 GiB, OpenBLAS pthread with `OPENBLAS_CORETYPE=SkylakeX`.");
        text.AppendLine("- Ratios: Graft's advantage, above 1 means Graft is better (throughput Graft/PyTorch; memory PyTorch/Graft).").AppendLine();
        text.AppendLine("| workload | Graft | PyTorch (user) | PyTorch (tuned) | ratio vs user | ratio vs tuned |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            string unit = r.Workload.Unit;
            text.AppendLine(c, $"| {r.Workload.Title} | {Measurement.Format(r.Graft.Value)} {unit} | {Measurement.Format(r.User.Value)} {unit} | " +
                               $"{Measurement.Format(r.Tuned.Value)} {unit} | {Ratio(r.RatioVsUser)} | {Ratio(r.RatioVsTuned)} |");
        }
        text.AppendLine().AppendLine("## Goals (issue 9)").AppendLine();
        foreach (string line in Goals(results)) text.AppendLine("- " + line);
        var roof = results.FirstOrDefault(r => r.Workload.Name == "roof-resnet18");
        if (roof is not null)
        {
            text.AppendLine().AppendLine(c, $"Roofs measured in this run (Graft worker): matmul {Get(roof.Graft, "matmul_roof_gflops"):F0} GFLOP/s, " +
                                            $"3x3 conv channels-last {Get(roof.Graft, "conv_roof_gflops"):F0} GFLOP/s; ResNet-18 inference {roof.Graft.Value:F0} GFLOP/s " +
                                            $"(PyTorch user {roof.User.Value:F0}, tuned {roof.Tuned.Value:F0}); the goal divides by the best roof any side measured. PyTorch's own matmul: " +
                                            $"user {Get(roof.User, "matmul_roof_gflops"):F0} GFLOP/s, tuned (OpenBLAS Skylake-X) {Get(roof.Tuned, "matmul_roof_gflops"):F0} GFLOP/s. " +
                                            $"FLOPs count 2 per multiply-add everywhere (ResNet-18: 1.814 G multiply-adds per 224 px image).");
        }
        return text.ToString();
    }

    /// <summary>Writes the report atomically (a reader never sees half a file).</summary>
    public static void Write(string path, string markdown)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.WriteAllText(path, markdown);
    }

    /// <summary>A ratio cell: <c>1.23x</c>.</summary>
    public static string Ratio(double ratio) => ratio.ToString("F2", CultureInfo.InvariantCulture) + "x";

    private static double Get(Measurement m, string key) => m.Extra.TryGetValue(key, out double v) ? v : double.NaN;

    private static string Mark(bool met) => met ? "**met**" : "**not met**";

    private static IEnumerable<string> Goals(IReadOnlyList<WorkloadResult> results)
    {
        var c = CultureInfo.InvariantCulture;
        WorkloadResult? Find(string name) => results.FirstOrDefault(r => r.Workload.Name == name);
        const string notMeasured = "not measured in this run";

        if (results.Count > 0)
        {
            var worstUser = results.MinBy(r => r.RatioVsUser)!;
            var worstTuned = results.MinBy(r => r.RatioVsTuned)!;
            bool met = worstUser.RatioVsUser >= 1.5 && worstTuned.RatioVsTuned >= 1.1;
            yield return string.Create(c, $"Every workload ≥ 1.1x tuned PyTorch and ≥ 1.5x PyTorch as a user runs it: {Mark(met)} " +
                                          $"(lowest vs user {Ratio(worstUser.RatioVsUser)} on {worstUser.Workload.Name}, lowest vs tuned {Ratio(worstTuned.RatioVsTuned)} on {worstTuned.Workload.Name})");
        }
        foreach (string arch in Workloads.WorkloadCatalog.Architectures)
        {
            var full = Find($"finetune-{arch}");
            var partial = Find($"partial-{arch}");
            var head = Find($"head-{arch}");
            var infer = Find($"infer-{arch}");
            yield return full is null || partial is null
                ? $"Partial fine-tuning clearly cheaper than full ({arch}): {notMeasured}"
                : string.Create(c, $"Partial fine-tuning clearly cheaper than full ({arch}, partial ≥ 1.2x full's img/s): {Mark(partial.Graft.Value >= 1.2 * full.Graft.Value)} " +
                                   $"({Measurement.Format(partial.Graft.Value)} vs {Measurement.Format(full.Graft.Value)} img/s)");
            yield return head is null || infer is null
                ? $"Head-only step costs about one frozen forward ({arch}): {notMeasured}"
                : string.Create(c, $"Head-only step costs about one frozen forward ({arch}, ≥ 0.8x inference img/s): {Mark(head.Graft.Value >= 0.8 * infer.Graft.Value)} " +
                                   $"({Measurement.Format(head.Graft.Value)} vs {Measurement.Format(infer.Graft.Value)} img/s)");
        }
        var cached = Find("cached-head");
        yield return cached is null
            ? $"Cached-feature head epoch ≥ 50x faster than recomputing: {notMeasured}"
            : string.Create(c, $"Cached-feature head epoch ≥ 50x faster than recomputing: {Mark(Get(cached.Graft, "speedup") >= 50)} " +
                               $"({Get(cached.Graft, "speedup"):F0}x: {Get(cached.Graft, "cached_epoch_s"):F2} s vs {Get(cached.Graft, "recompute_epoch_s"):F0} s per epoch)");
        var memory = Find("memory-resnet50");
        yield return memory is null
            ? $"ResNet-50 fine-tuning peak memory ≤ PyTorch's: {notMeasured}"
            : string.Create(c, $"ResNet-50 fine-tuning peak memory ≤ PyTorch's: {Mark(memory.Graft.Value <= memory.User.Value)} " +
                               $"(Graft {memory.Graft.Value:F0} MiB, PyTorch user {memory.User.Value:F0} MiB, tuned {memory.Tuned.Value:F0} MiB)");
        var roof = Find("roof-resnet18");
        if (roof is null)
        {
            yield return $"ResNet-18 inference ≥ 50% of the convolution roof: {notMeasured}";
            yield break;
        }
        double share = 100 * roof.Graft.Value / ConvRoof(roof);
        yield return string.Create(c, $"ResNet-18 inference ≥ 50% of the convolution roof: {Mark(share >= 50)} " +
                                      $"({share:F0}%: {roof.Graft.Value:F0} of {ConvRoof(roof):F0} GFLOP/s; matmul roof {MatmulRoof(roof):F0} GFLOP/s, so {100 * roof.Graft.Value / MatmulRoof(roof):F0}% of it)");
    }

    // The machine's roofs: the best any side measured in this run (each worker times them in its own process).
    private static double ConvRoof(WorkloadResult roof) =>
        new[] { roof.Graft, roof.User, roof.Tuned }.Max(m => Get(m, "conv_roof_gflops"));

    private static double MatmulRoof(WorkloadResult roof) =>
        new[] { roof.Graft, roof.User, roof.Tuned }.Max(m => Get(m, "matmul_roof_gflops"));
}
