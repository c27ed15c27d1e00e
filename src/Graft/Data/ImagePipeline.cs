using Graft.Data.Transforms;

namespace Graft.Data;

/// <summary>
/// What happens to every image between decoding and the batch tensor: an ordered list of transforms, then the
/// <see cref="OutputFormat"/> (channels, scaling, normalisation). The leading non-random transforms form the
/// "deterministic prefix": its result is rounded to bytes (like the PIL image torchvision would hold at that point)
/// and is what the loader's cache keeps.
/// </summary>
public sealed class ImagePipeline
{
    /// <summary>Creates a pipeline.</summary>
    /// <param name="transforms">The steps, in order.</param>
    /// <param name="output">The output format (default: RGB in [0, 1]).</param>
    /// <param name="reducedDecoding">
    /// Whether a JPEG may be decoded at a reduced size when the first step is a shorter-side <see cref="Resize"/>
    /// that would shrink it at least 2× anyway (much faster; the result differs slightly from a full decode).
    /// </param>
    public ImagePipeline(IEnumerable<IImageTransform> transforms, OutputFormat? output = null, bool reducedDecoding = true)
    {
        ArgumentNullException.ThrowIfNull(transforms);
        Transforms = transforms.ToArray();
        if (Transforms.Any(t => t is null)) throw new ArgumentException("A transform in the list is null.", nameof(transforms));
        Output = output ?? OutputFormat.Default;
        ReducedDecoding = reducedDecoding;
        int prefix = 0;
        while (prefix < Transforms.Count && !Transforms[prefix].IsRandom) prefix++;
        DeterministicPrefixLength = prefix;
    }

    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<IImageTransform> Transforms { get; }

    /// <summary>Channels, scaling and normalisation of the output.</summary>
    public OutputFormat Output { get; }

    /// <summary>Whether reduced-size JPEG decoding is allowed (see the constructor).</summary>
    public bool ReducedDecoding { get; }

    /// <summary>How many leading transforms are not random.</summary>
    public int DeterministicPrefixLength { get; }

    /// <summary>
    /// The first transform when it can pick its crop before decoding (<see cref="IRegionTransform"/>) and is not part
    /// of the cached deterministic prefix; sources that support it then decode only that region.
    /// </summary>
    public IRegionTransform? RegionTransform =>
        DeterministicPrefixLength == 0 && Transforms.Count > 0 ? Transforms[0] as IRegionTransform : null;

    /// <summary>The shorter-side hint passed to sources (0 = decode at full size).</summary>
    public int DecodeHint =>
        ReducedDecoding && Transforms.Count > 0 && Transforms[0] is IDecodeSizeHint hint ? hint.MinimumShorterSide : 0;

    /// <summary>
    /// The usual evaluation pipeline of an ImageNet-pretrained model: resize the shorter side to
    /// <paramref name="resize"/>, take the central <paramref name="crop"/> square, normalise.
    /// </summary>
    public static ImagePipeline ForEvaluation(int resize, int crop, OutputFormat? output = null,
        Interpolation interpolation = Interpolation.Bilinear) =>
        new([new Resize(resize, interpolation), new CenterCrop(crop)], output ?? OutputFormat.ImageNet);

    /// <summary>
    /// The pipeline a model's <see cref="Models.Preprocessing"/> asks for: resize the shorter side, take the central crop,
    /// then <paramref name="augmentation"/> (random steps run only when the loader augments, i.e. in training), and
    /// write <paramref name="channels"/> channels normalised with the preprocessing's mean and std. The resize and
    /// crop form the deterministic prefix, so a loader can cache them and, without augmentation, a frozen base's
    /// features can be cached too.
    /// </summary>
    /// <param name="preprocessing">Sizes, filter, mean and std (e.g. a zoo entry's <c>Preprocessing</c>).</param>
    /// <param name="channels">1 (grayscale models) or 3; a three-value mean or std is averaged for one channel.</param>
    /// <param name="augmentation">Steps after the crop (flips, rotations, …); none when null.</param>
    /// <exception cref="ArgumentException">When the mean or std has neither 1 nor <paramref name="channels"/> values.</exception>
    public static ImagePipeline ForModel(Models.Preprocessing preprocessing, int channels, IEnumerable<IImageTransform>? augmentation = null)
    {
        ArgumentNullException.ThrowIfNull(preprocessing);
        float[] Fit(IReadOnlyList<float> values, string name) =>
            values.Count == 1 || values.Count == channels ? values.ToArray()
            : channels == 1 ? [values.Average()]
            : throw new ArgumentException($"The preprocessing's {name} has {values.Count} values; a {channels}-channel model needs 1 or {channels}.", nameof(preprocessing));
        var filter = preprocessing.Interpolation == Models.Interpolation.Bicubic ? Interpolation.Bicubic : Interpolation.Bilinear;
        var steps = new List<IImageTransform> { new Resize(preprocessing.ResizeSize, filter), new CenterCrop(preprocessing.CropSize) };
        if (augmentation is not null) steps.AddRange(augmentation);
        var output = new OutputFormat { Channels = channels, Mean = Fit(preprocessing.Mean, "mean"), Std = Fit(preprocessing.Std, "std") };
        return new ImagePipeline(steps, output);
    }

    /// <summary>
    /// The usual training pipeline: random resized crop to <paramref name="size"/>, random horizontal flip, normalise;
    /// optionally a random rotation and colour jitter. (Outside training, the crop becomes resize + centre crop.)
    /// </summary>
    public static ImagePipeline ForTraining(int size, OutputFormat? output = null, double rotationDegrees = 0, double colorJitter = 0)
    {
        var steps = new List<IImageTransform> { new RandomResizedCrop(size), new RandomHorizontalFlip() };
        if (rotationDegrees > 0) steps.Add(new RandomRotation(rotationDegrees));
        if (colorJitter > 0) steps.Add(new ColorJitter(colorJitter, colorJitter, colorJitter));
        return new ImagePipeline(steps, output ?? OutputFormat.ImageNet);
    }

    /// <summary>Runs the deterministic prefix on a decoded image and rounds the result to bytes.</summary>
    public RawImage RunPrefix(RawImage image, string sampleName = "")
    {
        if (DeterministicPrefixLength == 0) return image;
        using var frame = new ImageFrame(image, sampleName);
        var context = new TransformContext(new Random(0), Training: false); // non-random steps must not draw; a fixed generator keeps a mislabelled one deterministic
        for (int i = 0; i < DeterministicPrefixLength; i++) Transforms[i].Apply(frame, context);
        return frame.ToRawImage();
    }

    /// <summary>
    /// Runs the remaining transforms on the prefix's output and returns the frame (the caller disposes it) ready for
    /// <see cref="OutputFormat.Write"/>.
    /// </summary>
    public ImageFrame RunRest(RawImage prefixOutput, TransformContext context, string sampleName = "")
    {
        var frame = new ImageFrame(prefixOutput, sampleName);
        try
        {
            for (int i = DeterministicPrefixLength; i < Transforms.Count; i++) Transforms[i].Apply(frame, context);
            return frame;
        }
        catch
        {
            frame.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs the whole pipeline on a region loaded for <see cref="RegionTransform"/>: finishes that transform on the
    /// region, then the rest. The caller disposes the frame.
    /// </summary>
    public ImageFrame RunOnRegion(RawImage image, RegionRequest region, RegionPlacement placement, TransformContext context, string sampleName = "")
    {
        IRegionTransform first = RegionTransform ?? throw new InvalidOperationException("The pipeline does not start with a region transform.");
        var frame = new ImageFrame(image, sampleName);
        try
        {
            first.ApplyToRegion(frame, region, placement);
            for (int i = 1; i < Transforms.Count; i++) Transforms[i].Apply(frame, context);
            return frame;
        }
        catch
        {
            frame.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Processes one image end to end (prefix, rest, output) into channels × height × width floats — the values the
    /// loader would put in a batch for this image with this generator.
    /// </summary>
    public float[] Process(RawImage image, bool training, Random random)
    {
        RawImage prefix = RunPrefix(image);
        using ImageFrame frame = RunRest(prefix, new TransformContext(random, training));
        float[] output = new float[Output.Channels * frame.Width * frame.Height];
        Output.Write(frame, output);
        return output;
    }
}
