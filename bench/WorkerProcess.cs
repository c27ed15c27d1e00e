using System.Diagnostics;
using System.Globalization;

namespace Graft.Bench;

/// <summary>Runs one measurement in a fresh process (Graft's worker or the Python twin) and reads its result line.</summary>
public static class WorkerProcess
{
    /// <summary>Graft's worker: this program again, <c>worker NAME</c>.</summary>
    public static Measurement RunGraft(string workload, bool quick, int threads, string? folder)
    {
        string dll = typeof(WorkerProcess).Assembly.Location;
        var args = new List<string> { dll, "worker", workload, "--threads", threads.ToString(CultureInfo.InvariantCulture) };
        if (quick) args.Add("--quick");
        if (folder is not null) args.AddRange(["--folder", folder]);
        return Run("dotnet", args, new Dictionary<string, string>());
    }

    /// <summary>The PyTorch twin, as a user runs it or tuned.</summary>
    public static Measurement RunPeer(string script, string workload, bool quick, int threads, bool tuned, string? folder)
    {
        var args = new List<string> { script, workload, "--threads", threads.ToString(CultureInfo.InvariantCulture) };
        if (quick) args.Add("--quick");
        if (tuned) args.Add("--tuned");
        if (folder is not null) args.AddRange(["--folder", folder]);
        return Run(PeerSetup.Python, args, tuned ? PeerSetup.TunedEnvironment() : new Dictionary<string, string>());
    }

    private static Measurement Run(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string> env)
    {
        var start = new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        // Every side starts from the default environment plus its own settings: Graft's come from inside the library.
        foreach (string name in PeerSetup.TuningVariables) start.Environment.Remove(name);
        foreach (var (name, value) in env) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed (exit {process.ExitCode}):\n{stderr.Result}\n{stdout}");
        return Measurement.Parse(stdout);
    }
}
