using System.Globalization;
using Graft.IO;
using Spectre.Console;

namespace Graft.Cli;

/// <summary>Shows downloads: a live bar with bytes and speed on a terminal, a note when one starts elsewhere.</summary>
internal static class DownloadDisplay
{
    /// <summary>Runs <paramref name="work"/>, showing progress for any download it reports.</summary>
    /// <param name="ui">The console.</param>
    /// <param name="what">What is being downloaded, for the display.</param>
    /// <param name="expected">Whether a download is likely (e.g. the file is not cached): the live bar is set up only then.</param>
    /// <param name="work">The work; it reports download progress through the callback it is given.</param>
    public static T Run<T>(ConsoleUi ui, string what, bool expected, Func<DownloadProgress, T> work)
    {
        if (!ui.ShowProgress || !expected)
        {
            int started = 0;
            return work((done, total) =>
            {
                if (Interlocked.Exchange(ref started, 1) == 0)
                    ui.Note(total is long size
                        ? $"Downloading {what} ({Megabytes(size)})…"
                        : $"Downloading {what}…");
            });
        }
        return ui.Console_.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                ProgressTask? task = null;
                return work((done, total) =>
                {
                    task ??= context.AddTask(Markup.Escape(what), maxValue: total ?? 1);
                    if (total is long size) task.MaxValue = size;
                    task.Value = done;
                });
            });
    }

    /// <summary>Whether fetching <paramref name="remote"/> would download it (it is not in the cache).</summary>
    public static bool Needed(RemoteFile? remote) => remote is not null && !File.Exists(Downloader.CachedPath(remote));

    /// <summary>Whether <paramref name="reference"/> is an http(s) URL (which may need downloading).</summary>
    public static bool IsUrl(string? reference) =>
        reference is not null && (reference.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || reference.StartsWith("https://", StringComparison.OrdinalIgnoreCase));

    /// <summary>A byte count in megabytes.</summary>
    public static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.0} MB");
}
