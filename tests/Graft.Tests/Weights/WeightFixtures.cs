using System.Diagnostics;

namespace Graft.Tests.Weights;

/// <summary>
/// Runs tests/parity/make_weight_fixtures.py once (with Debian's /usr/bin/python3 and torch 1.13) into a temporary
/// folder shared by the weight tests. Fails, never skips, when Python or torch is missing.
/// </summary>
public sealed class WeightFixtures : IDisposable
{
    public const string InstallHint = "install python3-torchvision (apt-get install -y python3-torchvision)";
    private const string Python = "/usr/bin/python3";

    public WeightFixtures()
    {
        Folder = Path.Combine(Path.GetTempPath(), $"graft-weight-fixtures-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Folder);
        var (exitCode, output) = RunScript(Folder);
        if (exitCode != 0) throw new InvalidOperationException($"make_weight_fixtures.py failed ({exitCode}):\n{output}");
    }

    /// <summary>The folder holding the generated files.</summary>
    public string Folder { get; }

    /// <summary>The marker file a hostile pickle's payload would create if it ever ran.</summary>
    public string PayloadMarker => Path.Combine(Folder, "PICKLE-PAYLOAD-RAN");

    public string this[string fileName] => Path.Combine(Folder, fileName);

    /// <summary>Runs the script with <paramref name="arguments"/>; returns its exit code and combined output.</summary>
    public static (int ExitCode, string Output) RunScript(params string[] arguments)
    {
        if (!File.Exists(Python)) throw new InvalidOperationException($"{Python} is missing: {InstallHint}.");
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ScriptPath);
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("make_weight_fixtures.py did not finish within 3 minutes.");
        }
        string output = stdout.Result + stderr.Result;
        if (output.Contains("No module named 'torch'", StringComparison.Ordinal))
            throw new InvalidOperationException($"{Python} has no torch: {InstallHint}.");
        return (process.ExitCode, output);
    }

    private static string ScriptPath
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "tests", "parity", "make_weight_fixtures.py");
                if (File.Exists(candidate)) return candidate;
            }
            throw new FileNotFoundException("tests/parity/make_weight_fixtures.py not found above " + AppContext.BaseDirectory);
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class WeightFixturesCollection : ICollectionFixture<WeightFixtures>
{
    public const string Name = "weight fixtures";
}
