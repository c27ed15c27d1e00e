using System.Globalization;

namespace Graft.Cli;

/// <summary>
/// The folder a run writes into (<c>--out</c>, default <c>runs/&lt;verb&gt;-&lt;timestamp&gt;</c>): the saved model,
/// <c>metrics.csv</c>, <c>report.md</c> and the charts.
/// </summary>
internal sealed class RunFolder
{
    private RunFolder(string path) => Path = path;

    /// <summary>The folder (full path).</summary>
    public string Path { get; }

    /// <summary>The folder as the user should type it (relative to the current folder when inside it).</summary>
    public string Display
    {
        get
        {
            string relative = System.IO.Path.GetRelativePath(Environment.CurrentDirectory, Path);
            return relative.StartsWith("..", StringComparison.Ordinal) ? Path : relative;
        }
    }

    /// <summary>Opens <paramref name="path"/>, or a new timestamped folder under <c>runs/</c>, creating it.</summary>
    public static RunFolder Create(string? path, string verb)
    {
        string chosen = path ?? System.IO.Path.Combine("runs", $"{verb}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
        var folder = new RunFolder(System.IO.Path.GetFullPath(chosen));
        try
        {
            Directory.CreateDirectory(folder.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"Cannot create the run folder '{folder.Path}': {e.Message} Choose another with --out.");
        }
        return folder;
    }

    /// <summary>A file in the folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>A file in the folder as the user would type it.</summary>
    public string DisplayFile(string name) => System.IO.Path.Combine(Display, name);
}
