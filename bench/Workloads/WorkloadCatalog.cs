namespace Graft.Bench.Workloads;

/// <summary>Every workload, in the order the report lists them (the issue's numbering in the titles).</summary>
public static class WorkloadCatalog
{
    /// <summary>The architectures of workloads 1–4.</summary>
    public static IReadOnlyList<string> Architectures { get; } = ["resnet18", "mobilenet_v2"];

    /// <summary>All workloads.</summary>
    public static IReadOnlyList<Workload> All { get; } =
    [
        .. Architectures.Select(a => new Workload($"infer-{a}", $"(1) feature extraction, {a} eval forward", "img/s")),
        .. Architectures.Select(a => new Workload($"finetune-{a}", $"(2) full fine-tuning step, AdamW, {a}", "img/s")),
        .. Architectures.Select(a => new Workload($"head-{a}", $"(3) head-only step, base frozen in inference mode, {a}", "img/s")),
        .. Architectures.Select(a => new Workload($"partial-{a}", $"(4) partial fine-tuning, top block unfrozen, {a}", "img/s")),
        new Workload("cached-head", "(5) cached-feature head epoch, resnet18 features", "vectors/s"),
        new Workload("memory-resnet50", "(6) peak resident memory, resnet50 fine-tuning step", "MiB", HigherIsBetter: false),
        new Workload("roof-resnet18", "(7) resnet18 inference throughput against the roofs (see below)", "GFLOP/s"),
        new Workload("data-pipeline", "data pipeline: decode + augment to batches", "img/s"),
    ];

    /// <summary>The workloads a command-line selector names: <c>all</c>, a workload's name, or a comma list.</summary>
    /// <exception cref="ArgumentException">When a name is unknown (the message lists the names).</exception>
    public static IReadOnlyList<Workload> Select(string selector)
    {
        if (string.Equals(selector, "all", StringComparison.OrdinalIgnoreCase)) return All;
        var chosen = new List<Workload>();
        foreach (string name in selector.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            chosen.Add(All.FirstOrDefault(w => string.Equals(w.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new ArgumentException($"No workload '{name}'. Known: all, {string.Join(", ", All.Select(w => w.Name))}."));
        return chosen;
    }
}
