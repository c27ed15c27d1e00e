using System.Diagnostics;

namespace Graft.Bench;

/// <summary>
/// How the PyTorch twin runs: as a user runs it (Debian's torch 1.13 with <c>torch.set_num_threads</c> at the
/// machine's threads, default layout, default environment) or tuned (channels-last model and input, glibc's
/// allocator told to keep big buffers, OpenBLAS on its Skylake-X kernels). Nothing is installed or changed here:
/// <see cref="Missing"/> lists what is absent so the runner can print it.
/// </summary>
public static class PeerSetup
{
    /// <summary>Debian's Python with torch 1.13 and torchvision 0.14.</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>The pthread OpenBLAS (package libopenblas0-pthread).</summary>
    public const string OpenBlas = "/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3";

    /// <summary>Variables a benchmark process must not inherit (the user config runs with the default environment).</summary>
    public static IReadOnlyList<string> TuningVariables { get; } =
        ["MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "MALLOC_MMAP_MAX_", "OPENBLAS_CORETYPE", "LD_PRELOAD"];

    /// <summary>
    /// The tuned environment. OpenBLAS: without a core type Debian's build picks a generic kernel on these CPUs
    /// (torch.matmul ≈ 40 GFLOP/s at 2048², two threads); <c>OPENBLAS_CORETYPE=SkylakeX</c> gives 85–300 by load. The
    /// preload makes it the BLAS even when the alternatives system points elsewhere (here it already points to it).
    /// </summary>
    public static IReadOnlyDictionary<string, string> TunedEnvironment()
    {
        var env = new Dictionary<string, string>
        {
            ["MALLOC_MMAP_THRESHOLD_"] = "17179869184",
            ["MALLOC_TRIM_THRESHOLD_"] = "17179869184",
            ["MALLOC_TOP_PAD_"] = "1073741824",
            ["OPENBLAS_CORETYPE"] = "SkylakeX",
        };
        if (File.Exists(OpenBlas)) env["LD_PRELOAD"] = OpenBlas;
        return env;
    }

    /// <summary>What the peer needs and is not there, as install hints (empty when all is in place).</summary>
    public static IReadOnlyList<string> Missing()
    {
        var missing = new List<string>();
        if (!File.Exists(Python))
        {
            missing.Add($"{Python} (apt-get install -y python3-torchvision)");
            return missing;
        }
        var start = new ProcessStartInfo(Python, ["-c", "import torch, torchvision"]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using (var check = Process.Start(start)!)
        {
            check.WaitForExit();
            if (check.ExitCode != 0) missing.Add("torch/torchvision for /usr/bin/python3 (apt-get install -y python3-torchvision)");
        }
        if (!File.Exists(OpenBlas)) missing.Add($"{OpenBlas} (apt-get install -y libopenblas0-pthread); the tuned peer runs on the default BLAS");
        return missing;
    }
}
