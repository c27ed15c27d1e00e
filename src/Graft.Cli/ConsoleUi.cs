using System.Text.Json;
using Table = Graft.Reports.Table;
using Spectre.Console;

namespace Graft.Cli;

/// <summary>
/// Everything a verb shows the user goes through here: tables, notes, warnings, JSON and progress. Progress
/// bars appear only on a terminal and never with <c>--quiet</c> or <c>--json</c>; with <c>--json</c> standard
/// output carries only JSON, so scripts can parse it.
/// </summary>
public sealed class ConsoleUi
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals, // a diverged value is "NaN", not a crash
        WriteIndented = false,
    };

    private readonly TextWriter _error;

    /// <summary>Creates the UI over the given writers.</summary>
    public ConsoleUi(TextWriter output, TextWriter error, bool quiet, bool json)
    {
        Output = output;
        _error = error;
        Quiet = quiet;
        Json = json;
        IsTerminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        Console_ = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = IsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = IsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = IsTerminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        // Redirected output has no width to fit: keep table rows on one line each, for grep and diff.
        if (!IsTerminal) Console_.Profile.Width = 240;
    }

    /// <summary>Standard output.</summary>
    public TextWriter Output { get; }

    /// <summary>Only results, no notes or progress.</summary>
    public bool Quiet { get; }

    /// <summary>Machine-readable JSON on standard output instead of tables.</summary>
    public bool Json { get; }

    /// <summary>True when standard output is a terminal (progress bars and colour are allowed).</summary>
    public bool IsTerminal { get; }

    /// <summary>True when live progress should be drawn.</summary>
    public bool ShowProgress => IsTerminal && !Quiet && !Json;

    /// <summary>The Spectre console bound to standard output.</summary>
    public IAnsiConsole Console_ { get; }

    /// <summary>A live progress display for work counted in steps: description, bar, percentage, time left, spinner.
    /// Finished tasks disappear, and so does the display when the work ends.</summary>
    public Progress StepProgress() => Console_.Progress()
        .AutoClear(true)
        .HideCompleted(true)
        .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
            new RemainingTimeColumn(), new SpinnerColumn());

    /// <summary>A note for people (to standard error when output is redirected, so it never mixes with results);
    /// hidden by --quiet/--json.</summary>
    public void Note(string text)
    {
        if (Quiet || Json) return;
        // On a terminal, through Spectre: lines written beside a live progress display would tear it.
        if (ShowProgress) Console_.WriteLine(text);
        else _error.WriteLine(text);
    }

    /// <summary>A message people must see (an interruption and how to resume), on standard error even with --quiet/--json.</summary>
    public void Important(string text) => _error.WriteLine(text);

    /// <summary>A warning, always shown on standard error.</summary>
    public void Warn(string text) => _error.WriteLine($"warning: {text}");

    /// <summary>Shows a table (unless --json, where the caller writes JSON instead).</summary>
    public void Show(Table table, string? title = null)
    {
        if (Json) return;
        var rendered = new Spectre.Console.Table { Border = TableBorder.Rounded };
        if (title is not null) rendered.Title = new TableTitle(Markup.Escape(title));
        foreach (var header in table.Headers) rendered.AddColumn(Markup.Escape(header));
        foreach (var row in table.Rows) rendered.AddRow(row.Select(cell => (Spectre.Console.Rendering.IRenderable)new Spectre.Console.Text(cell)).ToArray());
        Console_.Write(rendered);
    }

    /// <summary>Writes one JSON value on its own line to standard output.</summary>
    public void WriteJson<T>(T value) => Output.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    /// <summary>Writes a line of results to standard output (unless --json).</summary>
    public void Line(string text)
    {
        if (!Json) Output.WriteLine(text);
    }
}
