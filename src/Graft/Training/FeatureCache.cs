using Graft.Data;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Training;

/// <summary>
/// Features of every sample of a dataset, computed once by a frozen extractor (the base of a network) in inference
/// mode under no-grad, with the samples' targets. Training a head on the cache costs milliseconds per epoch instead
/// of a full forward pass of the base. Features are kept in memory as float32 up to a size limit and spill to a
/// temporary file above it (deleted when the cache is disposed).
/// </summary>
public sealed class FeatureCache : IDisposable
{
    private readonly Tensor? _memory;
    private readonly FileStream? _file;
    private readonly Tensor _targets;
    private readonly bool[] _present;

    private FeatureCache(long[] featureShape, Tensor? memory, FileStream? file, Tensor targets, bool[] present)
    {
        FeatureShape = featureShape;
        FeatureLength = featureShape.Aggregate(1L, (a, b) => a * b);
        _memory = memory;
        _file = file;
        _targets = targets;
        _present = present;
    }

    /// <summary>Shape of one sample's features (e.g. <c>[512]</c> or <c>[512, 1, 1]</c>).</summary>
    public long[] FeatureShape { get; }

    /// <summary>Scalars per sample.</summary>
    public long FeatureLength { get; }

    /// <summary>Number of sample slots (the source's <see cref="IBatchSource.SampleCount"/>).</summary>
    public int SampleCount => _present.Length;

    /// <summary>Samples actually cached (fewer than <see cref="SampleCount"/> when the source skipped some).</summary>
    public int CachedCount => _present.Count(p => p);

    /// <summary>True when the features live in a temporary file rather than in memory.</summary>
    public bool IsOnDisk => _file is not null;

    /// <summary>Size of the features in bytes.</summary>
    public long SizeBytes => SampleCount * FeatureLength * sizeof(float);

    /// <summary>True when sample <paramref name="index"/> was cached.</summary>
    public bool Contains(int index) => _present[index];

    /// <summary>
    /// Runs <paramref name="extractor"/> over epoch 0 of <paramref name="source"/> in inference mode under no-grad and
    /// caches the outputs with the targets. The extractor's train/eval flags are restored afterwards.
    /// </summary>
    /// <param name="extractor">The frozen base (e.g. <see cref="Layers.Network.WithoutHead"/>).</param>
    /// <param name="source">The data; it should not vary between epochs (no random augmentation).</param>
    /// <param name="memoryLimitBytes">Above this many bytes of features, use a temporary file.</param>
    /// <param name="spillDirectory">Folder of the temporary file (the system's temp folder by default).</param>
    /// <exception cref="ArgumentException">When the source yields no batch.</exception>
    public static FeatureCache Build(nn.Module<Tensor, Tensor> extractor, IBatchSource source, long memoryLimitBytes = 1L << 30,
        string? spillDirectory = null)
    {
        var device = extractor.parameters().FirstOrDefault()?.device ?? CPU;
        int n = source.SampleCount;
        var order = source.Order(0);
        var present = new bool[n];
        Tensor? memory = null, targets = null;
        FileStream? file = null;
        long[]? shape = null;
        long length = 0;
        int position = 0;
        using var mode = ModeScope.Eval(extractor);
        using var noGrad = no_grad();
        try
        {
            foreach (var batch in source.Batches(0))
            {
                using var owned = batch;
                using var scope = NewDisposeScope();
                var indices = batch.Indices ?? order.Skip(position).Take(batch.Count).ToArray();
                position += batch.Count;
                var features = extractor.call(batch.X.to(device)).to(CPU).to_type(ScalarType.Float32).contiguous();
                if (shape is null)
                {
                    shape = features.shape[1..];
                    length = shape.Aggregate(1L, (a, b) => a * b);
                    long bytes = n * length * sizeof(float);
                    if (bytes <= memoryLimitBytes) memory = zeros(n, length).DetachFromDisposeScope();
                    else file = OpenSpillFile(spillDirectory, bytes);
                    targets = zeros([n, .. batch.Y.shape[1..]], batch.Y.dtype).DetachFromDisposeScope();
                }
                var rows = features.reshape(batch.Count, length);
                using var index = tensor(indices.Select(i => (long)i).ToArray());
                if (memory is not null) memory.index_copy_(0, index, rows);
                else WriteRows(file!, rows, indices, length);
                targets!.index_copy_(0, index, batch.Y.to(CPU));
                foreach (int i in indices) present[i] = true;
            }
        }
        catch
        {
            memory?.Dispose();
            targets?.Dispose();
            file?.Dispose();
            throw;
        }
        if (shape is null) throw new ArgumentException("The data source yielded no batch to cache features from.", nameof(source));
        return new FeatureCache(shape, memory, file, targets!, present);
    }

    /// <summary>The features and targets of the samples <paramref name="indices"/>, in that order (the caller owns them).</summary>
    public Batch Take(IReadOnlyList<int> indices)
    {
        using var scope = NewDisposeScope();
        long[] batchShape = [indices.Count, .. FeatureShape];
        using var index = tensor(indices.Select(i => (long)i).ToArray());
        Tensor features;
        if (_memory is not null) features = _memory.index_select(0, index).reshape(batchShape);
        else features = ReadRows(indices).reshape(batchShape);
        var targets = _targets.index_select(0, index);
        return new Batch(features.DetachFromDisposeScope(), targets.DetachFromDisposeScope()) { Indices = indices.ToArray() };
    }

    /// <summary>Frees the features and deletes the temporary file.</summary>
    public void Dispose()
    {
        _memory?.Dispose();
        _targets.Dispose();
        _file?.Dispose();
    }

    // A scratch file, never reopened: it is deleted on close, so there is nothing to write atomically.
    private static FileStream OpenSpillFile(string? directory, long bytes)
    {
        string folder = directory ?? Path.GetTempPath();
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, $"graft-features-{Guid.NewGuid():N}.bin");
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        stream.SetLength(bytes);
        return stream;
    }

    private static void WriteRows(FileStream file, Tensor rows, IReadOnlyList<int> indices, long length)
    {
        var values = rows.data<float>().ToArray();
        var bytes = MemoryMarshal.AsBytes(values.AsSpan());
        int rowBytes = (int)(length * sizeof(float));
        for (int r = 0; r < indices.Count; r++)
        {
            file.Position = indices[r] * (long)rowBytes;
            file.Write(bytes.Slice(r * rowBytes, rowBytes));
        }
    }

    private Tensor ReadRows(IReadOnlyList<int> indices)
    {
        var values = new float[indices.Count * FeatureLength];
        var bytes = MemoryMarshal.AsBytes(values.AsSpan());
        int rowBytes = (int)(FeatureLength * sizeof(float));
        for (int r = 0; r < indices.Count; r++)
        {
            _file!.Position = indices[r] * (long)rowBytes;
            _file.ReadExactly(bytes.Slice(r * rowBytes, rowBytes));
        }
        return tensor(values, [indices.Count, FeatureLength]);
    }
}
