using System.CommandLine;
using System.Reflection;
using Graft.Cli.Commands;

namespace Graft.Cli;

/// <summary>Builds the <c>graft</c> command tree and runs it with Graft's exit-code policy.</summary>
public static class GraftCommandLine
{
    /// <summary>The command's name in help and usage.</summary>
    public const string Name = "graft";

    /// <summary>The root command with every verb.</summary>
    /// <remarks>A plain <see cref="Command"/> named <c>graft</c> rather than a <see cref="RootCommand"/>, which takes
    /// its name from the executable: the assembly cannot be called "graft" (it would shadow the Graft library), and
    /// help should say what users type.</remarks>
    public static Command Build()
    {
        var root = new Command(Name,
            "Graft: transfer learning for .NET. Load a pretrained model, freeze its base, train a new head, fine-tune.")
        {
            new System.CommandLine.Help.HelpOption(),
            new VersionOption(),
        };
        root.Options.Add(GlobalOptions.Quiet);
        root.Options.Add(GlobalOptions.Json);
        foreach (var verb in Verbs()) root.Subcommands.Add(verb);
        return root;
    }

    /// <summary>Parses and runs; returns 0 on success, 1 on a run-time failure, 2 on bad usage.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = Build();
        var result = root.Parse(args);
        // Signals are Graft's own (see Interruption): no forced exit two seconds after Ctrl+C.
        var configuration = new InvocationConfiguration
        {
            Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null,
        };
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
        using var interruption = new Interruption(error);
        try
        {
            return result.InvokeAsync(configuration, interruption.Token).GetAwaiter().GetResult();
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
        catch (Exception e)
        {
            // Not an error Graft anticipates: say so, keep the message, and point at the details.
            error.WriteLine($"error: {e.GetType().Name}: {e.Message}");
            if (Environment.GetEnvironmentVariable("GRAFT_DEBUG") == "1") error.WriteLine(e);
            else error.WriteLine("(set GRAFT_DEBUG=1 for the full trace, and please report it)");
            return ExitCodes.Failure;
        }
    }

    /// <summary>The version printed by <c>graft --version</c>.</summary>
    public static string Version =>
        typeof(GraftCommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "unknown";

    // One entry per verb, each built by its own file in Commands/.
    private static IEnumerable<Command> Verbs() =>
    [
        ModelsCommand.Create(),
        SummaryCommand.Create(),
        FetchCommand.Create(),
        TrainCommand.Create(),
        EvaluateCommand.Create(),
        PredictCommand.Create(),
        CompareCommand.Create(),
        DemoCommand.Create(GlobalOptions.Quiet, GlobalOptions.Json),
        TrainTextCommand.Create(),
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
