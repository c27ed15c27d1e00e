namespace Graft.Data;

/// <summary>
/// A finite, indexable set of labelled images: an image folder, a CSV manifest, an in-memory array (IDX files),
/// or a view of another source (a split, a few-shot sample, a subset of classes). Implement it to feed your own
/// storage to <see cref="DataLoader"/>. Implementations must be safe to call from several threads at once.
/// </summary>
public interface IImageSource
{
    /// <summary>Number of samples.</summary>
    int Count { get; }

    /// <summary>Class names, indexed by label, for classification; empty for regression.</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>Number of regression targets per sample; 0 for classification.</summary>
    int TargetCount { get; }

    /// <summary>The class index of sample <paramref name="index"/> (classification only).</summary>
    int GetLabel(int index);

    /// <summary>Copies the <see cref="TargetCount"/> regression targets of sample <paramref name="index"/>.</summary>
    void GetTargets(int index, Span<float> destination);

    /// <summary>A human-readable name of the sample for messages: its file path, or e.g. "fashion-mnist/train #12".</summary>
    string Describe(int index);

    /// <summary>Loads sample <paramref name="index"/>'s pixels.</summary>
    /// <param name="index">The sample.</param>
    /// <param name="minimumShorterSide">
    /// A hint: the pipeline will shrink the image to this shorter side, so a source may return a smaller image
    /// as long as its shorter side is at least this (0 = no hint). Sources are free to ignore it.
    /// </param>
    /// <exception cref="BadImageException">When the sample's file is unreadable or not a valid image.</exception>
    RawImage Load(int index, int minimumShorterSide);
}
