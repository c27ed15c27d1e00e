using System.Buffers;

namespace Graft.Data.Transforms;

/// <summary>
/// One image travelling through a pipeline. Geometric steps (<see cref="Warp"/>, <see cref="Crop"/>) are only
/// recorded and composed into a single affine map; the pixels are resampled once, when someone reads
/// <see cref="Pixels"/> or the pipeline finishes — so crop + flip + rotation + zoom cost one bilinear pass.
/// Pixel values are floats on the 0..255 scale, rows of <see cref="Width"/> pixels of <see cref="Channels"/>
/// interleaved components.
/// </summary>
public sealed class ImageFrame : IDisposable
{
    private RawImage? _bytes;
    private float[]? _floats;
    private int _sourceWidth, _sourceHeight;
    private Affine2D _toSource = Affine2D.Identity;
    private readonly List<(Affine2D NewToCurrent, int InputWidth, int InputHeight, Affine2D InputToSource)> _steps = [];

    /// <summary>Starts a frame over <paramref name="image"/> (not copied, never modified).</summary>
    public ImageFrame(RawImage image, string sampleName = "")
    {
        ArgumentNullException.ThrowIfNull(image);
        _bytes = image;
        _sourceWidth = Width = image.Width;
        _sourceHeight = Height = image.Height;
        Channels = image.Channels;
        SampleName = sampleName;
    }

    /// <summary>Current width (after the steps recorded so far).</summary>
    public int Width { get; private set; }

    /// <summary>Current height.</summary>
    public int Height { get; private set; }

    /// <summary>1 (grayscale) or 3 (RGB).</summary>
    public int Channels { get; }

    /// <summary>The sample this frame came from, for messages.</summary>
    public string SampleName { get; }

    /// <summary>What areas outside the image become when the pending geometry is resampled.</summary>
    public FillMode Fill { get; set; } = FillMode.Constant;

    /// <summary>The value (0..255) of <see cref="FillMode.Constant"/> areas.</summary>
    public float FillValue { get; set; }

    /// <summary>Whether geometric steps are recorded but not yet resampled.</summary>
    public bool HasPendingGeometry => !_toSource.IsIdentity || Width != _sourceWidth || Height != _sourceHeight;

    /// <summary>
    /// Records a geometric step: the new image is <paramref name="width"/> × <paramref name="height"/> and its point p
    /// shows the current image's point <paramref name="newToCurrent"/>(p) (continuous pixel coordinates).
    /// </summary>
    public void Warp(Affine2D newToCurrent, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        _steps.Add((newToCurrent, Width, Height, _toSource));
        _toSource = newToCurrent.Then(_toSource);
        Width = width;
        Height = height;
    }

    /// <summary>Records a crop of the rectangle at (<paramref name="left"/>, <paramref name="top"/>); parts outside the image are filled.</summary>
    public void Crop(int left, int top, int width, int height) => Warp(Affine2D.Translation(left, top), width, height);

    /// <summary>
    /// Resizes to <paramref name="width"/> × <paramref name="height"/> with an antialiasing separable filter (PIL's
    /// algorithm); pending geometry is resampled first.
    /// </summary>
    public void Resize(int width, int height, Interpolation interpolation)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (width == Width && height == Height) return;
        if (HasPendingGeometry) Materialize();
        float[] output = Rent(width * height * Channels);
        Span<float> target = output.AsSpan(0, width * height * Channels);
        if (_floats is not null)
        {
            SeparableResize.Run<float>(_floats.AsSpan(0, _sourceWidth * _sourceHeight * Channels), _sourceWidth, _sourceHeight,
                Channels, target, width, height, interpolation);
            ArrayPool<float>.Shared.Return(_floats);
        }
        else
        {
            SeparableResize.Run<byte>(_bytes!.Pixels, _sourceWidth, _sourceHeight,
                Channels, target, width, height, interpolation);
        }
        Adopt(output, width, height);
    }

    /// <summary>The pixels (height × width × channels floats, 0..255), resampling pending geometry first. Writable.</summary>
    public Span<float> Pixels
    {
        get
        {
            if (_floats is null || HasPendingGeometry) Materialize();
            return _floats.AsSpan(0, Width * Height * Channels);
        }
    }

    /// <summary>The frame's image rounded to bytes (the untouched input when no step changed it).</summary>
    public RawImage ToRawImage()
    {
        if (_bytes is not null && !HasPendingGeometry) return _bytes;
        ReadOnlySpan<float> pixels = Pixels;
        byte[] rounded = new byte[pixels.Length];
        for (int i = 0; i < pixels.Length; i++) rounded[i] = (byte)Math.Clamp(MathF.Round(pixels[i]), 0f, 255f);
        return new RawImage(Width, Height, Channels, rounded);
    }

    /// <summary>
    /// The bytes behind the frame when it still shows its input unchanged (no float copy made yet), else null.
    /// Lets the output stage convert straight from bytes.
    /// </summary>
    internal RawImage? UnchangedInput => _floats is null && !HasPendingGeometry ? _bytes : null;

    /// <summary>Returns the frame's pooled buffer.</summary>
    public void Dispose()
    {
        if (_floats is not null) ArrayPool<float>.Shared.Return(_floats);
        _floats = null;
        _bytes = null;
    }

    private void Materialize()
    {
        float[] output = Rent(Width * Height * Channels);
        Span<float> target = output.AsSpan(0, Width * Height * Channels);
        StageBounds[] stages = IntermediateBounds();
        if (_floats is not null)
        {
            BilinearWarp.Run<float>(_floats.AsSpan(0, _sourceWidth * _sourceHeight * Channels), _sourceWidth, _sourceHeight,
                Channels, _toSource, target, Width, Height, Fill, FillValue, stages);
            ArrayPool<float>.Shared.Return(_floats);
        }
        else
        {
            BilinearWarp.Run<byte>(_bytes!.Pixels, _sourceWidth, _sourceHeight,
                Channels, _toSource, target, Width, Height, Fill, FillValue, stages);
        }
        Adopt(output, Width, Height);
    }

    /// <summary>
    /// The input rectangles of the recorded steps after the first (the first one's input is the source, which the
    /// sampler checks anyway), keeping only those some output point actually leaves, latest step first.
    /// </summary>
    private StageBounds[] IntermediateBounds()
    {
        var active = new List<StageBounds>();
        Affine2D fromOutput = Affine2D.Identity;
        for (int i = _steps.Count - 1; i >= 1; i--)
        {
            var step = _steps[i];
            fromOutput = fromOutput.Then(step.NewToCurrent);
            var bounds = new StageBounds(fromOutput, step.InputWidth, step.InputHeight, step.InputToSource);
            if (!bounds.Contains(Width, Height)) active.Add(bounds);
        }
        return active.ToArray();
    }

    private void Adopt(float[] pixels, int width, int height)
    {
        _floats = pixels;
        _bytes = null;
        _sourceWidth = Width = width;
        _sourceHeight = Height = height;
        _toSource = Affine2D.Identity;
        _steps.Clear();
    }

    private static float[] Rent(int length) => ArrayPool<float>.Shared.Rent(length);
}
