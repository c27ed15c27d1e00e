namespace Graft.Data;

/// <summary>
/// Equal-sized 8-bit images held in one array (e.g. read from IDX files), with class labels. Loading a sample copies
/// its bytes into a fresh <see cref="RawImage"/>, so the pipeline can never alter the shared array.
/// </summary>
public sealed class InMemoryImages : IImageSource
{
    private readonly byte[] _pixels;
    private readonly int[] _labels;
    private readonly string _name;

    /// <summary>Wraps <paramref name="pixels"/> (count × height × width × channels bytes, HWC per image) and labels.</summary>
    /// <param name="pixels">The images, back to back (not copied).</param>
    /// <param name="count">Number of images.</param>
    /// <param name="width">Width of each image.</param>
    /// <param name="height">Height of each image.</param>
    /// <param name="channels">1 (grayscale) or 3 (RGB).</param>
    /// <param name="labels">One class index per image (not copied).</param>
    /// <param name="classNames">Name of each class; every label must be below its count.</param>
    /// <param name="name">The dataset's name in messages, e.g. "fashion-mnist/train".</param>
    /// <exception cref="ArgumentException">When the array sizes or labels do not agree with the description.</exception>
    public InMemoryImages(byte[] pixels, int count, int width, int height, int channels, int[] labels,
        IReadOnlyList<string> classNames, string name)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (channels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Images have 1 or 3 channels.");
        long needed = (long)count * width * height * channels;
        if (pixels.LongLength != needed)
            throw new ArgumentException($"{count} images of {width}x{height}x{channels} need {needed} bytes; got {pixels.LongLength}.", nameof(pixels));
        if (labels.Length != count)
            throw new ArgumentException($"Expected {count} labels (one per image); got {labels.Length}.", nameof(labels));
        for (int i = 0; i < labels.Length; i++)
            if ((uint)labels[i] >= (uint)classNames.Count)
                throw new ArgumentException($"Label {labels[i]} of image {i} is outside the {classNames.Count} classes.", nameof(labels));
        _pixels = pixels;
        _labels = labels;
        _name = name;
        Count = count;
        Width = width;
        Height = height;
        Channels = channels;
        ClassNames = classNames.ToArray();
    }

    /// <inheritdoc/>
    public int Count { get; }

    /// <summary>Width of every image.</summary>
    public int Width { get; }

    /// <summary>Height of every image.</summary>
    public int Height { get; }

    /// <summary>Channels of every image (1 or 3).</summary>
    public int Channels { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> ClassNames { get; }

    /// <inheritdoc/>
    public int TargetCount => 0;

    /// <summary>The shared pixel array (count × height × width × channels); read it, do not change it.</summary>
    public ReadOnlySpan<byte> Pixels => _pixels;

    /// <inheritdoc/>
    public int GetLabel(int index) => _labels[index];

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">Always: these images carry class labels only.</exception>
    public void GetTargets(int index, Span<float> destination) =>
        ImageSourceExtensions.RequireClassification(this, "read regression targets");

    /// <inheritdoc/>
    public string Describe(int index) => $"{_name} #{index}";

    /// <inheritdoc/>
    public RawImage Load(int index, int minimumShorterSide)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        int size = Width * Height * Channels;
        byte[] copy = _pixels.AsSpan(index * size, size).ToArray();
        return new RawImage(Width, Height, Channels, copy);
    }
}
