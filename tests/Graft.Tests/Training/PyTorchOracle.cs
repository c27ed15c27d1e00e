using System.Diagnostics;

namespace Graft.Tests.Training;

/// <summary>Runs a script under Debian's PyTorch (torch 1.13 for /usr/bin/python3) and returns its standard output.</summary>
internal static class PyTorchOracle
{
    private const string Python = "/usr/bin/python3";

    public static string Run(string script)
    {
        if (!File.Exists(Python))
            Assert.Fail($"{Python} is missing: install the PyTorch oracle with 'apt-get install -y python3-torchvision'.");
        var start = new ProcessStartInfo(Python, ["-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            Assert.Fail(error.Contains("No module named 'torch'")
                ? $"{Python} has no torch: install it with 'apt-get install -y python3-torchvision'."
                : $"The PyTorch oracle failed:\n{error}");
        return output;
    }
}
