using System.Diagnostics;

namespace Graft.Tests.Data;

/// <summary>
/// Runs Debian's Python (torch 1.13, torchvision 0.14, PIL) as a reference implementation. Fails — never skips —
/// with the command that installs it when it is missing.
/// </summary>
internal static class PythonOracle
{
    public const string Python = "/usr/bin/python3";

    /// <summary>Runs <paramref name="script"/> with <paramref name="arguments"/>; returns stdout; throws with stderr on failure.</summary>
    public static string Run(string script, params string[] arguments)
    {
        if (!File.Exists(Python))
            throw new InvalidOperationException($"{Python} is missing; install the oracle with 'apt-get install -y python3-torchvision'.");
        string scriptPath = Path.Combine(Path.GetTempPath(), $"graft-oracle-{Guid.NewGuid():N}.py");
        File.WriteAllText(scriptPath, script);
        try
        {
            var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(scriptPath);
            foreach (string argument in arguments) start.ArgumentList.Add(argument);
            using Process process = Process.Start(start)!;
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2))) { process.Kill(); throw new TimeoutException("The Python oracle took over 2 minutes."); }
            if (process.ExitCode != 0)
            {
                string error = stderr.Result;
                string hint = error.Contains("No module named") ? " Install it with 'apt-get install -y python3-torchvision'." : "";
                throw new InvalidOperationException($"The Python oracle failed (exit {process.ExitCode}):{hint}\n{error}");
            }
            return stdout.Result;
        }
        finally
        {
            File.Delete(scriptPath);
        }
    }

    /// <summary>Reads a little-endian float32 file written by numpy's <c>tofile</c>.</summary>
    public static float[] ReadFloats(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        float[] values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, values.Length * 4);
        return values;
    }
}
