namespace Graft.IO;

/// <summary>How <see cref="Downloader"/> fetches and caches files.</summary>
public sealed record DownloadOptions
{
    /// <summary>The environment variable that turns on offline mode (1, true, yes or on).</summary>
    public const string OfflineVariable = "GRAFT_OFFLINE";

    /// <summary>Defaults: the <see cref="GraftHome.Weights"/> cache, offline per <c>GRAFT_OFFLINE</c>.</summary>
    public static DownloadOptions Default { get; } = new();

    /// <summary>The cache folder; null means <see cref="GraftHome.Weights"/>.</summary>
    public string? CacheFolder { get; init; }

    /// <summary>Never use the network, only the cache; null means "as <c>GRAFT_OFFLINE</c> says".</summary>
    public bool? Offline { get; init; }

    /// <summary>How many more times to try (resuming where possible) after a network failure.</summary>
    public int Retries { get; init; } = 2;

    /// <summary>How long the server may send nothing before the attempt counts as failed.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The client to use; null means a shared one.</summary>
    public HttpClient? HttpClient { get; init; }

    /// <summary>The cache folder actually used.</summary>
    public string ResolvedCacheFolder => CacheFolder ?? GraftHome.Weights;

    /// <summary>Whether offline mode is on, from <see cref="Offline"/> or else the environment.</summary>
    public bool IsOffline => Offline ?? IsOfflineFlag(Environment.GetEnvironmentVariable(OfflineVariable));

    internal static bool IsOfflineFlag(string? value) =>
        value?.Trim().ToLowerInvariant() is "1" or "true" or "yes" or "on";
}
