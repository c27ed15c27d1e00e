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

    /// <summary>
    /// Loads an IDX image file (N × height × width bytes, gzipped or not) and its IDX label file (N bytes), as
    /// MNIST-style datasets ship them (e.g. the Fashion-MNIST subset in the repository's <c>data/</c> folder).
    /// </summary>
    /// <exception cref="FileNotFoundException">When a file does not exist.</exception>
    /// <exception cref="InvalidDataException">When a file is malformed, the counts disagree, or a label has no class name.</exception>
    public static InMemoryImages FromIdx(string imagesPath, string labelsPath, IReadOnlyList<string> classNames, string name)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        IdxFile images = IdxFile.Read(imagesPath);
        IdxFile labels = IdxFile.Read(labelsPath);
        if (images.Dimensions.Length != 3)
            throw new InvalidDataException($"'{imagesPath}' has dimensions {string.Join("x", images.Dimensions)}; expected N x height x width.");
        if (labels.Dimensions.Length != 1 || labels.Dimensions[0] != images.Dimensions[0])
            throw new InvalidDataException(
                $"'{labelsPath}' has dimensions {string.Join("x", labels.Dimensions)}; expected {images.Dimensions[0]} labels to match '{imagesPath}'.");
        int[] labelIndices = new int[labels.Data.Length];
        for (int i = 0; i < labelIndices.Length; i++)
        {
            labelIndices[i] = labels.Data[i];
            if (labelIndices[i] >= classNames.Count)
                throw new InvalidDataException($"'{labelsPath}': label {labelIndices[i]} at index {i} has no class name (there are {classNames.Count}).");
        }
        return new InMemoryImages(images.Data, images.Dimensions[0], images.Dimensions[2], images.Dimensions[1], 1, labelIndices, classNames, name);
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
