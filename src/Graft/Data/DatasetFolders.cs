namespace Graft.Data;

/// <summary>Where Graft keeps datasets it downloads: <c>$GRAFT_HOME/datasets/&lt;name&gt;</c>.</summary>
public static class DatasetFolders
{
    /// <summary>The environment variable that moves Graft's cache (default <c>~/.cache/graft</c>).</summary>
    public const string HomeVariable = "GRAFT_HOME";

    /// <summary>Graft's cache root: <c>GRAFT_HOME</c> if set, else <c>~/.cache/graft</c>.</summary>
    public static string GraftHome
    {
        get
        {
            string? configured = Environment.GetEnvironmentVariable(HomeVariable);
            if (!string.IsNullOrWhiteSpace(configured)) return Path.GetFullPath(configured);
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return Path.Combine(home, ".cache", "graft");
        }
    }

    /// <summary>The folder for dataset <paramref name="dataset"/> under <see cref="GraftHome"/>.</summary>
    public static string For(string dataset) => Path.Combine(GraftHome, "datasets", dataset);
}
