namespace Graft.Experiments;

/// <summary>
/// The demo's protocol. The defaults were fixed before looking at any target test result and follow the reference
/// study in the issue: the base stays in inference mode (BatchNorm too), heads are trained on cached base features,
/// fine-tuning unfreezes the last residual stage at 2e-4; no augmentation, no early stopping (there is no
/// validation split with k images per class), a fixed number of optimizer steps per strategy whatever k is.
/// </summary>
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

    /// <summary>Optimizer steps of fine-tuning after the head (AdamW, constant 2e-4).</summary>
    public int FineTuneSteps { get; init; } = 60;

    /// <summary>Base layers (counted from the top, weighted layers only) that fine-tuning unfreezes: 1 = layer3.</summary>
    public int UnfreezeTop { get; init; } = 1;

    /// <summary>Largest training batch.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Folder with the full Fashion-MNIST (optional).</summary>
    public string? DataFolder { get; init; }

    /// <summary>The repository's shipped subset folder.</summary>
    public string? ShippedDataFolder { get; init; }

    /// <summary>The pretrained source-task base (a saved Graft model).</summary>
    public required string BasePath { get; init; }
}
