namespace Graft.IO;

/// <summary>
/// Where Graft keeps what it downloads and caches: <c>GRAFT_HOME</c> if set, else <c>$XDG_CACHE_HOME/graft</c>,
/// else <c>~/.cache/graft</c>. Weights go to its <c>weights/</c> folder, data sets to <c>data/</c>.
/// </summary>
public static class GraftHome
{
    /// <summary>The environment variable that overrides the location.</summary>
    public const string Variable = "GRAFT_HOME";

    /// <summary>The root folder (read from the environment on every call; not created).</summary>
    public static string Path => Resolve(Environment.GetEnvironmentVariable, HomeFolder());

    /// <summary>The cache of downloaded weight files.</summary>
    public static string Weights => Folder("weights");

    /// <summary>The cache of downloaded data sets.</summary>
    public static string Data => Folder("data");

    /// <summary>A named subfolder of <see cref="Path"/> (not created).</summary>
    public static string Folder(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>The resolution rule, with the environment and home folder passed in (for tests).</summary>
    internal static string Resolve(Func<string, string?> environment, string home)
    {
        string? configured = environment(Variable);
        if (!string.IsNullOrWhiteSpace(configured)) return System.IO.Path.GetFullPath(ExpandHome(configured.Trim(), home));
        string? xdg = environment("XDG_CACHE_HOME");
        if (!string.IsNullOrWhiteSpace(xdg) && System.IO.Path.IsPathRooted(xdg)) return System.IO.Path.Combine(xdg, "graft");
        return System.IO.Path.Combine(home, ".cache", "graft");
    }

    /// <summary>Expands a leading <c>~</c> to the user's home folder, as shells do.</summary>
    public static string ExpandHome(string path) => ExpandHome(path, HomeFolder());

    private static string ExpandHome(string path, string home) =>
        path == "~" ? home
        : path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal) ? System.IO.Path.Combine(home, path[2..])
        : path;

    private static string HomeFolder() => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
}
