using System.CommandLine;
using Graft.IO;
using Graft.Models;

namespace Graft.Cli.Commands;

/// <summary><c>graft fetch MODEL</c>: downloads published weights (or any weight URL) into the cache, checking SHA-256.</summary>
public static class FetchCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var model = new Argument<string>("MODEL")
        {
            Description = "A zoo name, optionally with a weight tag (resnet50, resnet50.imagenet1k_v1), or an http(s) URL of a weight file whose name ends in -<sha256 prefix>.<ext>",
        };
        var weights = new Option<string?>("--weights") { Description = "The published weights to fetch (default: the model's default)" };
        var printUrl = new Option<bool>("--print-url") { Description = "Do not download: print the URL and the cache path, to fetch by hand" };
        var command = new Command("fetch", "Download weights into Graft's cache (GRAFT_HOME) and verify their SHA-256")
        {
            model, weights, printUrl,
        };
        command.SetAction(async (result, cancellation) =>
        {
            var ui = GlobalOptions.Ui(result);
            var (remote, label) = Remote(result.GetValue(model)!, result.GetValue(weights));
            string path = Downloader.CachedPath(remote);
            if (result.GetValue(printUrl))
            {
                if (ui.Json) ui.WriteJson(new { remote.Url, Path = path, remote.Sha256 });
                else
                {
                    ui.Line(remote.Url);
                    ui.Line(path);
                    ui.Note($"Fetch it by hand: curl -L -o \"{path}\" \"{remote.Url}\" (its SHA-256 must start with {remote.Sha256}).");
                }
                return ExitCodes.Success;
            }
            bool cached = File.Exists(path);
            string local = await Task.Run(() => DownloadDisplay.Run(ui, label, !cached, progress =>
                Downloader.FetchAsync(remote, DownloadOptions.Default, progress, cancellation).GetAwaiter().GetResult()), cancellation);
            long bytes = new FileInfo(local).Length;
            if (ui.Json) ui.WriteJson(new { remote.Url, Path = local, remote.Sha256, Bytes = bytes, AlreadyCached = cached });
            else
            {
                ui.Note(cached ? $"{label} was already in the cache (SHA-256 checked)." : $"Downloaded {label} ({DownloadDisplay.Megabytes(bytes)}), SHA-256 checked.");
                ui.Line(local);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static (RemoteFile Remote, string Label) Remote(string reference, string? weights)
    {
        if (reference.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || reference.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (weights is not null) throw new UsageException("--weights goes with a zoo name, not a URL.");
            try
            {
                var remote = RemoteFile.FromUrl(reference);
                return (remote, remote.FileName);
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }
        }
        var choice = ModelChoice.Resolve(reference, weights);
        if (choice.Published is null)
            throw new UsageException(choice.Spec.Weights.Count == 0
                ? $"'{choice.Spec.Name}' has no published weights to fetch; train it with 'graft train --model {choice.Spec.Name} --weights none'."
                : $"--weights {weights} names no published weights of '{choice.Spec.Name}', so there is nothing to fetch.");
        return (choice.Published.File, choice.Spec.FullName(choice.Published));
    }
}
