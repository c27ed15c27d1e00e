using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;

namespace Graft.Tests.Parity;

/// <summary>
/// The PyTorch oracle's fixtures (tests/parity/make_fixtures.py, run once per test run with Debian's
/// /usr/bin/python3 and torchvision 0.14), cached in the temp folder under the hash of the script so a changed
/// script regenerates them. A missing Python or torchvision fails the tests with what to install; nothing skips.
/// </summary>
public sealed class TorchvisionOracle
{
    private const string Python = "/usr/bin/python3";
    private const string InstallHint = "apt-get install -y python3-torchvision";
    private const string LastUsed = "last-used";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(20);
    private static readonly TimeSpan KeepUnused = TimeSpan.FromDays(1);

    public TorchvisionOracle()
    {
        string script = FindScript();
        string hash = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(script))).ToLowerInvariant()[..16];
        string root = Path.Combine(Path.GetTempPath(), "graft-parity");
        Folder = Path.Combine(root, hash);
        if (!File.Exists(Path.Combine(Folder, "manifest.json"))) Generate(script, root, Folder);
        File.WriteAllText(Path.Combine(Folder, LastUsed), DateTime.UtcNow.ToString("O"));
        Manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "manifest.json")));
    }

    /// <summary>The folder holding the fixtures.</summary>
    public string Folder { get; }

    /// <summary>manifest.json: the architectures the script made.</summary>
    public JsonDocument Manifest { get; }

    /// <summary>The architectures in the manifest.</summary>
    public IReadOnlyList<string> Architectures =>
        Manifest.RootElement.GetProperty("architectures").EnumerateObject().Select(p => p.Name).ToArray();

    /// <summary>Path of one fixture file (<c>resnet18.pth</c>), failing clearly when it is missing.</summary>
    public string PathOf(string fileName)
    {
        string path = Path.Combine(Folder, fileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"Fixture '{fileName}' is missing from {Folder}; delete the folder to regenerate.", path);
        return path;
    }

    /// <summary>The architecture's record (keys, parameter count, init fingerprint, input shape).</summary>
    public ArchitectureRecord Record(string architecture) =>
        ArchitectureRecord.Parse(File.ReadAllText(PathOf(architecture + ".json")));

    private static string FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "parity", "make_fixtures.py");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"tests/parity/make_fixtures.py not found above {AppContext.BaseDirectory}.");
    }

    private static void Generate(string script, string root, string folder)
    {
        if (!File.Exists(Python))
            throw new InvalidOperationException($"The PyTorch oracle needs {Python} with torchvision 0.14: {InstallHint}");
        Run(Python, ["-c", "import torch, torchvision"], TimeSpan.FromMinutes(2),
            error => $"{Python} cannot import torch/torchvision ({error.Trim()}). Install them: {InstallHint}");

        Directory.CreateDirectory(root);
        RemoveStale(root, keep: Path.GetFileName(folder));
        string partial = $"{folder}.{Environment.ProcessId}.{Guid.NewGuid():N}.partial";
        try
        {
            Run(Python, [script, partial], Timeout, error => $"make_fixtures.py failed: {error}");
            try
            {
                Directory.Move(partial, folder);
            }
            catch (IOException) when (File.Exists(Path.Combine(folder, "manifest.json")))
            {
                // Another test process finished first; its fixtures are identical.
            }
        }
        finally
        {
            if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
        }
    }

    // Fixtures of other script versions take gigabytes: drop those no test run has used for a day (another checkout
    // may be using a recent one right now), and partial folders of crashed runs.
    private static void RemoveStale(string root, string keep)
    {
        var cutoff = DateTime.UtcNow - KeepUnused;
        foreach (var dir in new DirectoryInfo(root).EnumerateDirectories())
        {
            bool partial = dir.Name.EndsWith(".partial", StringComparison.Ordinal);
            if (dir.Name == keep || (!partial && dir.Name.Contains('.'))) continue;
            var used = new FileInfo(Path.Combine(dir.FullName, LastUsed));
            DateTime lastUse = used.Exists ? used.LastWriteTimeUtc : dir.LastWriteTimeUtc;
            if (lastUse > cutoff) continue;
            try { dir.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static void Run(string program, string[] arguments, TimeSpan timeout, Func<string, string> describeFailure)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} ran longer than {timeout}.");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException(describeFailure($"exit code {process.ExitCode}: {stderr.Result}{stdout.Result}"));
    }
}

/// <summary>
/// Collection that shares one <see cref="TorchvisionOracle"/> across the parity tests. It runs alone, after the
/// parallel collections: its tests seed libtorch's process-wide generator and compare what it draws next
/// (initialisation, dropout and stochastic-depth masks) with PyTorch's, which any test running beside them and
/// drawing random numbers would disturb.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OracleCollection : ICollectionFixture<TorchvisionOracle>
{
    public const string Name = "Torchvision oracle";
}
