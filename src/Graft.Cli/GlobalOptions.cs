using System.CommandLine;

namespace Graft.Cli;

/// <summary>The options every verb takes (declared once on the root, recursive).</summary>
public static class GlobalOptions
{
    /// <summary>Only results on standard output: no notes, no progress.</summary>
    public static readonly Option<bool> Quiet = new("--quiet", "-q")
    {
        Description = "Print only results: no notes, no progress",
        Recursive = true,
    };

    /// <summary>Machine-readable JSON on standard output instead of tables.</summary>
    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print results as JSON on standard output (notes and warnings stay on standard error)",
        Recursive = true,
    };

    /// <summary>The console UI for this invocation, honouring <c>--quiet</c> and <c>--json</c>.</summary>
    public static ConsoleUi Ui(ParseResult result) =>
        new(result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, result.GetValue(Quiet), result.GetValue(Json));
}
