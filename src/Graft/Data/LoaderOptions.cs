using static TorchSharp.torch;

namespace Graft.Data;

/// <summary>How a <see cref="DataLoader"/> batches, orders and parallelises its work.</summary>
public sealed record LoaderOptions
{
    /// <summary>Training defaults: shuffled, augmented, batches of 32, two workers.</summary>
    public static LoaderOptions Training { get; } = new();

    /// <summary>Evaluation defaults: in order, no augmentation, all samples kept.</summary>
    public static LoaderOptions Evaluation { get; } = new() { Shuffle = false, Augment = false };

    /// <summary>Samples per batch (the last batch may be smaller unless <see cref="DropLast"/>).</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Whether each epoch visits the samples in a new order (a permutation seeded by seed and epoch).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Whether random transforms are applied (training) or skipped (evaluation).</summary>
    public bool Augment { get; init; } = true;

    /// <summary>Whether to drop a last batch smaller than <see cref="BatchSize"/>.</summary>
    public bool DropLast { get; init; }

    /// <summary>The seed of shuffling and augmentation. Same seed → the same batches, bit for bit, whatever <see cref="Workers"/> is.</summary>
    public long Seed { get; init; }

    /// <summary>Threads decoding and transforming batches; 0 does the work on the consuming thread.</summary>
    public int Workers { get; init; } = 2;

    /// <summary>
    /// Batches that may be ready or in progress ahead of the consumer (at least 1); memory use is bounded by this many
    /// batches. Default: twice the workers.
    /// </summary>
    public int? PrefetchBatches { get; init; }

    /// <summary>
    /// Keep each decoded image, after the pipeline's deterministic prefix, in memory so later epochs skip decoding
    /// (for datasets that fit in RAM).
    /// </summary>
    public bool CacheImages { get; init; }

    /// <summary>Where batch tensors go (default: <see cref="Graft.Native.Compute.Device"/>).</summary>
    public Device? Device { get; init; }

    /// <summary>Called on the consuming thread once per unreadable file, with a message naming it.</summary>
    public Action<string>? Warning { get; init; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfNegative(Workers, nameof(Workers));
        if (PrefetchBatches is < 1) throw new ArgumentOutOfRangeException(nameof(PrefetchBatches), PrefetchBatches, "Prefetch at least 1 batch.");
    }

    internal int EffectivePrefetch => PrefetchBatches ?? Math.Max(2, 2 * Workers);
}
