using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace Graft.Bench;

/// <summary>The machine and software a run measured, for the report's header.</summary>
public sealed record MachineInfo(string Cpu, int Cores, double RamGiB, string DotNet, string TorchSharp, string LibTorch, string Torch, string TorchVision)
{
    /// <summary>Reads /proc, this program's dependencies and the peer's versions.</summary>
    public static MachineInfo Read()
    {
        string cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown"
            : "unknown";
        double ram = 0;
        if (File.Exists("/proc/meminfo"))
        {
            string total = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            ram = double.Parse(total.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / (1024 * 1024);
        }
        var (torch, vision) = PeerVersions();
        return new MachineInfo(cpu, Environment.ProcessorCount, ram, Environment.Version.ToString(),
            typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(3) ?? "unknown", LibTorchVersion(), torch, vision);
    }

    // The libtorch package TorchSharp-cpu resolved to, from this program's deps.json.
    private static string LibTorchVersion()
    {
        string deps = Path.ChangeExtension(Assembly.GetEntryAssembly()?.Location ?? typeof(MachineInfo).Assembly.Location, ".deps.json");
        if (!File.Exists(deps)) deps = Path.ChangeExtension(typeof(MachineInfo).Assembly.Location, ".deps.json");
        if (!File.Exists(deps)) return "unknown";
        using var json = JsonDocument.Parse(File.ReadAllText(deps));
        foreach (var library in json.RootElement.GetProperty("libraries").EnumerateObject())
            if (library.Name.StartsWith("libtorch-cpu-linux-x64/", StringComparison.OrdinalIgnoreCase))
                return library.Name.Split('/')[1];
        return "unknown";
    }

    private static (string Torch, string Vision) PeerVersions()
    {
        if (!File.Exists(PeerSetup.Python)) return ("missing", "missing");
        var start = new ProcessStartInfo(PeerSetup.Python, ["-c", "import torch, torchvision; print(torch.__version__, torchvision.__version__)"])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        string[] parts = output.Split(' ');
        return process.ExitCode == 0 && parts.Length == 2 ? (parts[0], parts[1]) : ("missing", "missing");
    }
}
