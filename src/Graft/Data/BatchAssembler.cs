using System.Buffers;
using Graft.Data.Transforms;

namespace Graft.Data;

/// <summary>
/// Turns a list of sample indices into a <see cref="HostBatch"/>: loads (or takes from the cache), runs the pipeline
/// with each sample's own generator, writes channels-first floats. Thread-safe; holds no per-batch state.
/// </summary>
internal sealed class BatchAssembler
{
    private const long SamplePurpose = 11;
    private readonly IImageSource _source;
    private readonly ImagePipeline _pipeline;
    private readonly long _seed;
    private readonly bool _augment;
    private readonly RawImage?[]? _cache;
    private readonly string?[]? _badReasons;
    private readonly bool _cropFirst;

    public BatchAssembler(IImageSource source, ImagePipeline pipeline, long seed, bool augment, bool cache)
    {
        _source = source;
        _pipeline = pipeline;
        _seed = seed;
        _augment = augment;
        // Crop-first decoding only while training (outside training the crop is a deterministic resize + crop) and
        // without the cache (which keeps whole images).
        _cropFirst = augment && !cache && pipeline.RegionTransform is not null;
        if (cache)
        {
            _cache = new RawImage?[source.Count];
            _badReasons = new string?[source.Count];
        }
    }

    /// <summary>The generator of sample <paramref name="index"/> in <paramref name="epoch"/>: depends on nothing else.</summary>
    public Random SampleRandom(int epoch, int index) => SeedMixer.Create(_seed, SamplePurpose, epoch, index);

    public HostBatch Assemble(int number, int[] indices, int epoch, CancellationToken cancellation)
    {
        var batch = new HostBatch { Number = number };
        try
        {
            foreach (int index in indices)
            {
                cancellation.ThrowIfCancellationRequested();
                if (_cropFirst)
                {
                    AssembleFromRegion(batch, index, epoch, indices.Length);
                    continue;
                }
                RawImage prefix;
                try
                {
                    prefix = LoadPrefix(index);
                }
                catch (BadImageException e)
                {
                    batch.Skipped.Add(new SkippedSample(index, _source.Describe(index), e.Reason));
                    continue;
                }
                string name = _source.Describe(index);
                try
                {
                    using ImageFrame frame = _pipeline.RunRest(prefix, new TransformContext(SampleRandom(epoch, index), _augment), name);
                    Add(batch, frame, index, indices.Length, name);
                }
                finally
                {
                    if (_cache is null) prefix.ReturnToPool();
                }
            }
        }
        catch
        {
            batch.Release();
            throw;
        }
        return batch;
    }

    /// <summary>
    /// The crop-first path: the region transform picks its crop from the image size, the source decodes just that,
    /// the rest of the pipeline runs on it. Same random draws, same result as decoding everything.
    /// </summary>
    private void AssembleFromRegion(HostBatch batch, int index, int epoch, int capacity)
    {
        var context = new TransformContext(SampleRandom(epoch, index), _augment);
        IRegionTransform first = _pipeline.RegionTransform!;
        RegionRequest region = default;
        RawImage image;
        RegionPlacement placement;
        try
        {
            (image, placement) = _source.LoadRegion(index, (width, height) => region = first.ChooseRegion(width, height, context));
        }
        catch (BadImageException e)
        {
            batch.Skipped.Add(new SkippedSample(index, _source.Describe(index), e.Reason));
            return;
        }
        string name = _source.Describe(index);
        try
        {
            using ImageFrame frame = _pipeline.RunOnRegion(image, region, placement, context, name);
            Add(batch, frame, index, capacity, name);
        }
        finally
        {
            image.ReturnToPool();
        }
    }

    /// <summary>Writes a finished frame into the batch's next slot with its target.</summary>
    private void Add(HostBatch batch, ImageFrame frame, int index, int capacity, string name)
    {
        Place(batch, frame, capacity, name);
        _pipeline.Output.Write(frame, batch.Pixels.AsSpan(batch.Indices.Count * batch.SampleLength, batch.SampleLength));
        batch.Indices.Add(index);
        AddTarget(batch, index);
    }

    private RawImage LoadPrefix(int index)
    {
        if (_cache is not null)
        {
            RawImage? hit = Volatile.Read(ref _cache[index]);
            if (hit is not null) return hit;
            string? bad = Volatile.Read(ref _badReasons![index]);
            if (bad is not null) throw new BadImageException(_source.Describe(index), bad);
        }
        RawImage? prefix = null;
        try
        {
            RawImage decoded = _source.Load(index, _pipeline.DecodeHint);
            try
            {
                prefix = _pipeline.RunPrefix(decoded, _source.Describe(index));
            }
            finally
            {
                // The prefix's result is a new image unless the prefix left the decoded one untouched.
                if (!ReferenceEquals(prefix, decoded)) decoded.ReturnToPool();
            }
        }
        catch (BadImageException e) when (_badReasons is not null)
        {
            Volatile.Write(ref _badReasons[index], e.Reason);
            throw;
        }
        if (_cache is not null) Volatile.Write(ref _cache[index], prefix);
        return prefix!;
    }

    private void Place(HostBatch batch, ImageFrame frame, int capacity, string name)
    {
        if (batch.Pixels is null)
        {
            batch.Channels = _pipeline.Output.Channels;
            batch.Height = frame.Height;
            batch.Width = frame.Width;
            batch.Pixels = ArrayPool<float>.Shared.Rent(capacity * batch.SampleLength);
            return;
        }
        if (frame.Width != batch.Width || frame.Height != batch.Height)
            throw new InvalidOperationException(
                $"Image '{name}' leaves the pipeline at {frame.Width}x{frame.Height} but earlier images of its batch are " +
                $"{batch.Width}x{batch.Height}; end the pipeline with a fixed size (Resize.To, CenterCrop or RandomResizedCrop).");
    }

    private void AddTarget(HostBatch batch, int index)
    {
        if (_source.TargetCount == 0)
        {
            batch.Labels.Add(_source.GetLabel(index));
            return;
        }
        Span<float> values = stackalloc float[_source.TargetCount];
        _source.GetTargets(index, values);
        foreach (float v in values) batch.Targets.Add(v);
    }
}
