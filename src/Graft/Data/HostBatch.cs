using System.Buffers;

namespace Graft.Data;

/// <summary>
/// A batch assembled by a worker in managed memory, before it becomes tensors on the consuming thread. Its pixel
/// buffer is pooled: whoever takes the batch calls <see cref="Release"/> exactly once.
/// </summary>
internal sealed class HostBatch
{
    public required int Number { get; init; }
    public float[]? Pixels { get; set; }
    public int Channels { get; set; }
    public int Height { get; set; }
    public int Width { get; set; }
    public List<int> Indices { get; } = [];
    public List<long> Labels { get; } = [];
    public List<float> Targets { get; } = [];
    public List<SkippedSample> Skipped { get; } = [];
    public Exception? Error { get; set; }

    public int SampleLength => Channels * Height * Width;

    public void Release()
    {
        if (Pixels is not null) ArrayPool<float>.Shared.Return(Pixels);
        Pixels = null;
    }
}
