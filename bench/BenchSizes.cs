namespace Graft.Bench;

/// <summary>
/// The sizes one run uses: the (224×224 RGB, batch 32) or, with <c>--quick</c>, small ones that check the
/// whole path end to end in well under two minutes (figures from a quick run are not results).
/// </summary>
public sealed record BenchSizes(
    int Batch, int Image, int Warmup, int Steps,
    int MemoryBatch, int MemoryImage, int MemorySteps,
    int CachedVectors, int RecomputeSteps,
    int MatmulSize, int ConvChannels, int ConvSpatial, int ConvBatch,
    int PipelineImages, int PipelineWidth, int PipelineHeight, int PipelineEpochs, int PipelineWorkers)
{
    /// <summary>The sizes. Four warm-up steps: the first training steps build oneDNN primitives and grow the
    /// heap (Graft, MobileNetV2 fine-tuning: 5.5, 2.4, 1.5 s, then 0.62–0.70 s per step); both sides get the same.</summary>
    public static BenchSizes Full { get; } = new(
        Batch: 32, Image: 224, Warmup: 4, Steps: 7,
        MemoryBatch: 32, MemoryImage: 224, MemorySteps: 2,
        CachedVectors: 10_000, RecomputeSteps: 3,
        MatmulSize: 4096, ConvChannels: 256, ConvSpatial: 56, ConvBatch: 32,
        PipelineImages: 500, PipelineWidth: 500, PipelineHeight: 375, PipelineEpochs: 2, PipelineWorkers: 2);

    /// <summary>Small sizes for a smoke run (<c>--quick</c>).</summary>
    public static BenchSizes Quick { get; } = new(
        Batch: 4, Image: 64, Warmup: 1, Steps: 2,
        MemoryBatch: 4, MemoryImage: 64, MemorySteps: 1,
        CachedVectors: 1_000, RecomputeSteps: 2,
        MatmulSize: 512, ConvChannels: 64, ConvSpatial: 28, ConvBatch: 4,
        PipelineImages: 24, PipelineWidth: 160, PipelineHeight: 120, PipelineEpochs: 1, PipelineWorkers: 1);

    /// <summary>Multiply-adds of one ResNet-18 forward at <paramref name="image"/> px (torchvision: 1.814 G at 224 px;
    /// convolutions scale with the pixel count, the classifier's 0.5 M is negligible).</summary>
    public static double ResNet18MultiplyAdds(int image) => 1.814e9 * (image / 224.0) * (image / 224.0);
}
