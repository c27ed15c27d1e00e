namespace Graft.Experiments;

/// <summary>
/// The demo's protocol, after the reference study in the issue: the base stays in inference mode (BatchNorm too),
/// heads are trained on cached base features, fine-tuning unfreezes the last residual stage at 2e-4; no augmentation,
/// no early stopping (there is no validation split with k images per class), a fixed number of optimizer steps per
/// strategy whatever k is. All three strategies train the same network.
/// </summary>
/// <remarks>
/// The head was chosen on a held-out part of the training pool (k-shot subsets from the first 600 pool images per
/// class, scored on the other 400; never the test images), seeds 0-2. With resnet_mini's own head (global average
/// pooling) feature extraction lost to training from scratch at k = 20 (0.719 vs 0.868, seeds 0-1): the base's
/// 128 features, averaged over the image, say what kind of garment is there but not its shape, and the target classes
/// (sandal, sneaker, ankle boot) differ mostly in shape. Keeping the 7x7 layout (a linear layer over all cells) gave,
/// for scratch / feature extraction / fine-tuning: k = 5 0.773 / 0.799 / 0.803, k = 20 0.872 / 0.888 / 0.893, k = 100
/// 0.928 / 0.939 / 0.941. A 2x2 grid gave 0.874 / 0.869 / 0.887 at k = 20, 3x3 0.880 / 0.884 / 0.893. Fine-tuning the
/// whole network (2e-4, BatchNorm frozen: 0.814 / 0.880 at k = 5 / 20; 2e-3 one-cycle with BatchNorm adapting:
/// 0.785 / 0.877) did no better than the last stage alone.
/// </remarks>
public sealed record DemoOptions
{
    /// <summary>Labelled training images per class.</summary>
    public IReadOnlyList<int> Shots { get; init; } = [5, 20, 100];

    /// <summary>Seeds: each draws its own k-shot subset and initialisation.</summary>
    public IReadOnlyList<int> Seeds { get; init; } = [0, 1, 2];

    /// <summary>Strategies to run, by name.</summary>
    public IReadOnlyList<string> Strategies { get; init; } = ["scratch", "feature-extraction", "fine-tune"];

    /// <summary>Optimizer steps when training from scratch (AdamW, one-cycle, peak 2e-3).</summary>
    public int ScratchSteps { get; init; } = 120;

    /// <summary>Optimizer steps for the head on frozen features (AdamW, one-cycle, peak 1e-2).</summary>
    public int HeadSteps { get; init; } = 100;

    /// <summary>Optimizer steps of fine-tuning after the head (AdamW; by default a constant 2e-4).</summary>
    public int FineTuneSteps { get; init; } = 60;

    /// <summary>Base layers (counted from the top, weighted layers only) that fine-tuning unfreezes: 1 = layer3; null = all.</summary>
    public int? UnfreezeTop { get; init; } = 1;

    /// <summary>Fine-tuning's rate is the head's (1e-2) divided by this.</summary>
    public double FineTuneDivisor { get; init; } = 50;

    /// <summary>Whether fine-tuning follows a one-cycle schedule (else a constant rate).</summary>
    public bool FineTuneOneCycle { get; init; }

    /// <summary>Whether unfrozen BatchNorm layers adapt their statistics to the target images while fine-tuning.</summary>
    public bool FineTuneBatchNormTraining { get; init; }

    /// <summary>The head pools the last feature maps to a grid of this many cells a side (1 = global average pooling, resnet_mini's own head; 7 = the whole 7x7 map, no pooling).</summary>
    public int HeadGrid { get; init; } = 7;

    /// <summary>Largest training batch.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Folder with the full Fashion-MNIST (optional).</summary>
    public string? DataFolder { get; init; }

    /// <summary>The repository's shipped subset folder.</summary>
    public string? ShippedDataFolder { get; init; }

    /// <summary>The pretrained source-task base (a saved Graft model).</summary>
    public required string BasePath { get; init; }
}
