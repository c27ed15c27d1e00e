using Graft.Data;
using Graft.Models;

namespace Graft.Cli;

/// <summary>The data loaders the verbs use: model preprocessing, the user's batch size and seed, warnings to the console.</summary>
internal static class Loaders
{
    // Decoded, resized images are kept in memory when they fit in this budget, so later epochs skip decoding.
    private const long CacheBudgetBytes = 1L << 30;

    /// <summary>A loader over <paramref name="source"/>: shuffled and augmented for training, in order otherwise.</summary>
    public static DataLoader Create(IImageSource source, ImagePipeline pipeline, Preprocessing preprocessing, bool training, int batchSize,
        int seed, ConsoleUi ui)
    {
        long cachedBytes = (long)source.Count * preprocessing.CropSize * preprocessing.CropSize * pipeline.Output.Channels;
        var options = (training ? LoaderOptions.Training : LoaderOptions.Evaluation) with
        {
            BatchSize = batchSize,
            Seed = seed,
            Workers = Math.Clamp(Environment.ProcessorCount, 1, 2),
            CacheImages = cachedBytes <= CacheBudgetBytes,
            Warning = ui.Warn,
        };
        return new DataLoader(source, pipeline, options);
    }
}
