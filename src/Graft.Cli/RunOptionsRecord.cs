using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.Json;
using Graft.IO;

namespace Graft.Cli;

/// <summary>
/// The options a <c>graft train</c> run started with, kept in its run folder as <c>run-options.json</c>, so that
/// <c>--resume</c> refuses to continue the run with other ones: a checkpoint holds weights and the run's position,
/// not the data, model or settings that produced them, and mixing two sets would give a model neither describes.
/// </summary>
internal static class RunOptionsRecord
{
    /// <summary>The file's name in a run folder.</summary>
    public const string FileName = "run-options.json";

    // Options that say where and how to show the run, not what it computes.
    private static readonly string[] Ignored = ["--resume", "--out", "--quiet", "--json"];

    /// <summary>The options given on the command line (not defaults), by name; data paths made absolute.</summary>
    public static SortedDictionary<string, string> Of(ParseResult result)
    {
        var options = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var given in result.CommandResult.Children.OfType<OptionResult>())
        {
            string name = given.Option.Name;
            if (given.Implicit || Ignored.Contains(name)) continue;
            string value = string.Join(" ", given.Tokens.Select(t => t.Value));
            if (Directory.Exists(value) || File.Exists(value)) value = Path.GetFullPath(value);
            options[name] = value;
        }
        return options;
    }

    /// <summary>Writes <paramref name="options"/> into <paramref name="folder"/> (atomically).</summary>
    public static void Save(string folder, SortedDictionary<string, string> options) =>
        AtomicFile.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(options, new JsonSerializerOptions { WriteIndented = true }));

    /// <summary>
    /// Refuses to resume the run in <paramref name="folder"/> with options other than those it started with. A folder
    /// written before this record existed has nothing to compare and passes.
    /// </summary>
    /// <exception cref="UsageException">When an option differs, naming each one with both values.</exception>
    public static void CheckResume(string folder, SortedDictionary<string, string> now)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return;
        SortedDictionary<string, string>? started;
        try
        {
            started = JsonSerializer.Deserialize<SortedDictionary<string, string>>(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new UsageException($"{path} is damaged ({e.Message}); it records the options the run started with. Run without --resume to start over.");
        }
        started ??= new SortedDictionary<string, string>(StringComparer.Ordinal);
        var differences = started.Keys.Union(now.Keys).Order(StringComparer.Ordinal)
            .Where(name => started.GetValueOrDefault(name) != now.GetValueOrDefault(name))
            .Select(name => $"{name}: {Shown(started.GetValueOrDefault(name))} at the start, {Shown(now.GetValueOrDefault(name))} now")
            .ToList();
        if (differences.Count > 0)
            throw new UsageException(
                $"--resume continues the run in {folder} with the options it started with, and these differ: {string.Join("; ", differences)}. "
                + "Give the same options (the interrupted run printed its resume command), or run without --resume to start over.");
    }

    private static string Shown(string? value) => value is null ? "not given" : value.Length == 0 ? "given" : $"'{value}'";
}
