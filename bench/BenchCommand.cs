using System.Globalization;
using Graft.Bench.Workloads;

namespace Graft.Bench;

/// <summary>
/// The bench's command line. <c>all|NAME[,NAME…] [--quick] [--rounds N] [--threads N] [--out PATH]</c> runs the
/// comparison and writes the report (default <c>bench/results/latest.md</c>); <c>worker NAME …</c> is Graft's side of
/// one workload in a fresh process (what the runner starts).
/// </summary>
public static class BenchCommand
{
    /// <summary>Runs the command; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter output)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            output.WriteLine("usage: dotnet run -c Release --project bench -- all|NAME[,NAME...] [--quick] [--rounds N] [--threads N] [--out PATH]");
            output.WriteLine("workloads: " + string.Join(", ", WorkloadCatalog.All.Select(w => w.Name)));
            return args.Length == 0 ? 2 : 0;
        }
        bool quick = args.Contains("--quick");
        var sizes = quick ? BenchSizes.Quick : BenchSizes.Full;
        int threads = Option(args, "--threads") is string t ? int.Parse(t, CultureInfo.InvariantCulture) : Environment.ProcessorCount;
        if (args[0] == "worker")
        {
            var measured = GraftSide.Run(args[1], sizes, threads, Option(args, "--folder"));
            output.WriteLine(measured.ToLine());
            return 0;
        }

        var workloads = WorkloadCatalog.Select(args[0]);
        int rounds = Option(args, "--rounds") is string r ? int.Parse(r, CultureInfo.InvariantCulture) : quick ? 1 : 3;
        string outPath = Option(args, "--out") ?? Path.Combine(RepositoryFolder(), "bench", "results", "latest.md");
        var missing = PeerSetup.Missing();
        foreach (string item in missing) output.WriteLine($"missing: {item}");
        if (missing.Any(m => m.StartsWith(PeerSetup.Python, StringComparison.Ordinal) || m.StartsWith("torch/", StringComparison.Ordinal))) return 1;

        string peer = Path.Combine(AppContext.BaseDirectory, "peer.py");
        var runner = new Runner(sizes, quick, threads, rounds, peer, output);
        var results = runner.Run(workloads);
        string markdown = ResultsReport.Render(MachineInfo.Read(), threads, quick, results, DateTime.UtcNow);
        ResultsReport.Write(outPath, markdown);
        output.WriteLine(markdown);
        output.WriteLine($"Written to {outPath}");
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    // The checkout this program was built from (the folder holding Graft.slnx), else the working directory.
    private static string RepositoryFolder()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
            if (File.Exists(Path.Combine(dir, "Graft.slnx"))) return dir;
        return Directory.GetCurrentDirectory();
    }
}
