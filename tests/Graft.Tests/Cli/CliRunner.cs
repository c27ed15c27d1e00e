using System.Diagnostics;
using System.Reflection;

namespace Graft.Tests.Cli;

/// <summary>The outcome of one run of the real <c>graft</c> executable.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>Runs the built <c>graft</c> CLI as a separate process, as a user would.</summary>
public static class CliRunner
{
    public static string GraftDll =>
        typeof(CliRunner).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "GraftCliDll").Value!;

    public static CliResult Run(params string[] args) => Run(TimeSpan.FromMinutes(10), null, args);

    public static CliResult Run(TimeSpan timeout, IDictionary<string, string>? environment, params string[] args)
    {
        Assert.True(File.Exists(GraftDll), $"the CLI was not built at {GraftDll}");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(GraftDll);
        foreach (var a in args) info.ArgumentList.Add(a);
        if (environment is not null)
            foreach (var (key, value) in environment) info.Environment[key] = value;
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"graft {string.Join(' ', args)} did not finish within {timeout}");
        }
        return new CliResult(process.ExitCode, output.Result, error.Result);
    }
}
