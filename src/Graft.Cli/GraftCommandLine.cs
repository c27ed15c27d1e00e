using System.CommandLine;
using System.Reflection;

namespace Graft.Cli;

/// <summary>Builds the <c>graft</c> command tree and runs it with Graft's exit-code policy.</summary>
public static class GraftCommandLine
{
    /// <summary>The root command with every verb.</summary>
    public static Command Build()
    {
        // A plain command named "graft" rather than RootCommand, whose name is the executable's (Graft.Cli).
        var root = new Command("graft",
            "Graft: transfer learning for .NET. Load a pretrained model, freeze its base, train a new head, fine-tune.")
        {
            new System.CommandLine.Help.HelpOption(),
            new VersionOption(),
            Quiet,
            Json,
        };
        foreach (var verb in Verbs()) root.Subcommands.Add(verb);
        return root;
    }

    /// <summary>Parses and runs; returns 0 on success, 1 on a run-time failure, 2 on bad usage.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = Build();
        var result = root.Parse(args);
        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        if (result.Errors.Count > 0)
        {
            foreach (var parseError in result.Errors) error.WriteLine($"error: {parseError.Message}");
            error.WriteLine();
            root.Parse(HelpArgsFor(result)).Invoke(new InvocationConfiguration { Output = error, Error = error });
            return ExitCodes.Usage;
        }
        if (args.Length == 0)
        {
            root.Parse(["--help"]).Invoke(new InvocationConfiguration { Output = error, Error = error });
            return ExitCodes.Usage;
        }
        try
        {
            return result.Invoke(configuration);
        }
        catch (UsageException e)
        {
            error.WriteLine($"error: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("cancelled.");
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or InvalidOperationException or ArgumentException
                                       or UnauthorizedAccessException or NotSupportedException or KeyNotFoundException
                                       or FormatException or System.Net.Http.HttpRequestException)
        {
            error.WriteLine($"error: {e.Message}");
            if (Environment.GetEnvironmentVariable("GRAFT_DEBUG") == "1") error.WriteLine(e);
            return ExitCodes.Failure;
        }
    }

    /// <summary>The version printed by <c>graft --version</c>.</summary>
    public static string Version =>
        typeof(GraftCommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "unknown";

    /// <summary>Hide notes and progress; print only results.</summary>
    private static readonly Option<bool> Quiet = new("--quiet", "-q") { Description = "Print only results: no notes, no progress.", Recursive = true };

    /// <summary>Machine-readable output.</summary>
    private static readonly Option<bool> Json = new("--json") { Description = "Print results as JSON lines on standard output.", Recursive = true };

    private static IEnumerable<Command> Verbs() =>
    [
        Commands.DemoCommand.Create(Quiet, Json),
        Commands.TrainTextCommand.Create(Quiet, Json),
    ];

    // Help for the deepest command the user reached, so "graft train --bogus" shows train's options.
    private static string[] HelpArgsFor(ParseResult result)
    {
        var path = new List<string>();
        for (var command = result.CommandResult; command is not null; command = command.Parent as System.CommandLine.Parsing.CommandResult)
            if (command.Parent is not null) path.Insert(0, command.Command.Name);
        path.Add("--help");
        return path.ToArray();
    }
}
