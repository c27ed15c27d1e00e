using System.Diagnostics;
using System.Reflection;

namespace Graft.Tests.Cli;

/// <summary>The outcome of one run of the real <c>graft</c> executable.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>
/// Runs the built <c>graft</c> CLI as a separate process, as a user would. Every run gets its own Graft cache
/// (<c>GRAFT_HOME</c>) and offline mode (<c>GRAFT_OFFLINE=1</c>) unless the caller says otherwise, so no test ever
/// reaches the internet or the user's cache, and runs in a scratch working folder, so default run folders
/// (<c>runs/…</c>) never land in the repository.
/// </summary>
public static class CliRunner
{
    private static readonly Lazy<string> Scratch = new(() => Directory.CreateTempSubdirectory("graft-cli-").FullName);

    public static string GraftDll =>
        typeof(CliRunner).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "GraftCliDll").Value!;

    public static CliResult Run(params string[] args) => Run(TimeSpan.FromMinutes(10), null, args);

    public static CliResult Run(TimeSpan timeout, IDictionary<string, string>? environment, params string[] args)
    {
        using var process = Start(environment, args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"graft {string.Join(' ', args)} did not finish within {timeout}");
        }
        process.WaitForExit();
        return new CliResult(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Starts <c>graft</c> with redirected output and returns the running process (the caller reads and disposes it).</summary>
    public static Process Start(IDictionary<string, string>? environment, params string[] args)
    {
        Assert.True(File.Exists(GraftDll), $"the CLI was not built at {GraftDll}");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Scratch.Value,
        };
        info.ArgumentList.Add(GraftDll);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["GRAFT_HOME"] = Path.Combine(Scratch.Value, "home");
        info.Environment["GRAFT_OFFLINE"] = "1";
        info.Environment.Remove("GRAFT_DEBUG");
        if (environment is not null)
            foreach (var (key, value) in environment) info.Environment[key] = value;
        var process = Process.Start(info)!;
        process.StandardInput.Close();
        return process;
    }
}
