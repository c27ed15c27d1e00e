using Graft.Data;
using Graft.Data.Transforms;
using Graft.Layers;
using Graft.Models;
using Graft.Training;
using Graft.Training.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Experiments;

/// <summary>
/// The transfer-learning experiment behind <c>graft demo</c>, on Fashion-MNIST (MIT licence, Zalando SE): a small
/// ResNet pretrained on five classes (T-shirt/top, Trouser, Pullover, Dress, Coat — the source task) is reused for
/// the other five (Sandal, Shirt, Sneaker, Bag, Ankle boot — the target task) with only k labelled images per class.
/// </summary>
/// <remarks>
/// The target data comes from the repository's <c>data/fashion-mnist</c> subset (the first 1,000 training images of
/// each target class and all 5,000 target test images) or, when the full dataset is installed, the same images
/// taken from it: the numbers are the same either way.
/// </remarks>
public static class FashionMnistTransfer
{
    /// <summary>Source-task classes (Fashion-MNIST labels).</summary>
    public static IReadOnlyList<int> SourceClasses { get; } = [0, 1, 2, 3, 4];

    /// <summary>Target-task classes (Fashion-MNIST labels).</summary>
    public static IReadOnlyList<int> TargetClasses { get; } = [5, 6, 7, 8, 9];

    /// <summary>Training images per target class in the pool that k-shot subsets are drawn from.</summary>
    public const int PoolPerClass = 1000;

    /// <summary>The architecture of the shipped base.</summary>
    public const string Architecture = "resnet_mini";

    /// <summary>Pixel mean and std of the Fashion-MNIST training set (published: 0.2860, 0.3530).</summary>
    public static OutputFormat Output { get; } = new() { Channels = 1, Mean = [0.2860f], Std = [0.3530f] };

    /// <summary>Evaluation pipeline: the 28x28 images as they are, normalised.</summary>
    public static ImagePipeline EvaluationPipeline { get; } = new([], Output);

    /// <summary>Training pipeline of the base: random horizontal flips, as in the reference study.</summary>
    public static ImagePipeline TrainingPipeline { get; } = new([new RandomHorizontalFlip()], Output);

    /// <summary>The shipped base's file inside a repository checkout.</summary>
    public const string ShippedBaseFile = "data/fashion-mnist/resnet_mini-fashion-source.safetensors";

    /// <summary>The shipped target subset's folder inside a repository checkout.</summary>
    public const string ShippedDataFolder = "data/fashion-mnist";

    /// <summary>
    /// Trains the source-task base from the full Fashion-MNIST training set: <paramref name="epochs"/> epochs of AdamW
    /// at 2e-3 with weight decay 0.01, batch 128, random horizontal flips, a one-cycle schedule; validated on the
    /// source classes' 5,000 test images. Subscribe to the learner's events through <paramref name="configure"/>.
    /// </summary>
    /// <exception cref="FileNotFoundException">When the full dataset is not found (the message says how to get it).</exception>
    public static (Network Model, RunResult Result) PretrainBase(string? dataFolder = null, int epochs = 3, long seed = 0,
        Action<Learner>? configure = null, CancellationToken cancellation = default)
    {
        var train = FashionMnist.LoadTrain(dataFolder).SelectClasses(SourceClasses.ToArray());
        var test = FashionMnist.LoadTest(dataFolder).SelectClasses(SourceClasses.ToArray());
        Graft.Native.Compute.Seed(seed);
        var model = Zoo.Create(Architecture, numClasses: SourceClasses.Count, inChannels: 1);
        var trainLoader = new DataLoader(train, TrainingPipeline, LoaderOptions.Training with { BatchSize = 128, Seed = seed });
        var testLoader = new DataLoader(test, EvaluationPipeline, LoaderOptions.Evaluation with { BatchSize = 500 });
        var options = TrainOptions.OneCycle with
        {
            LearningRate = 2e-3,
            Seed = seed,
            ModelInfo = new ModelInfo(Architecture)
            {
                ClassNames = train.ClassNames,
                Task = new Classification(),
                Outputs = SourceClasses.Count,
                HeadName = model.HeadName,
                InputChannels = 1,
                Preprocessing = PreprocessingJson,
            },
        };
        using var learner = new Learner(model, trainLoader, testLoader, new Classification(), options);
        configure?.Invoke(learner);
        var phase = learner.Fit(new FitOptions(epochs) { Phase = "pretrain" }, cancellation);
        return (model, new RunResult("pretrain", [phase]));
    }

    /// <summary>
    /// The target task's network: the convolutional layers of the base saved at <paramref name="basePath"/> (or of a
    /// freshly initialised <see cref="Architecture"/> when null, for training from scratch) under a new head for the
    /// five target classes. With <paramref name="headGrid"/> 1 the head is the architecture's own (global average
    /// pooling and a linear layer); above 1 it averages the last feature maps over a grid of that many cells a side
    /// and feeds all cells to the linear layer, so the head sees where in the image a feature fired.
    /// </summary>
    /// <exception cref="InvalidOperationException">When the saved model is not a network with an <c>avgpool</c> layer.</exception>
    public static Network TargetModel(string? basePath, int headGrid = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(headGrid, 1);
        int outputs = TargetClasses.Count;
        Network source;
        if (basePath is null) source = Zoo.Create(Architecture, numClasses: outputs, inChannels: 1);
        else
        {
            var (saved, _) = SavedModel.Load(basePath);
            source = saved as Network
                ?? throw new InvalidOperationException($"'{basePath}' holds a {saved.GetType().Name}, not a Network, so it has no base to reuse.");
            source.train();
        }
        if (headGrid == 1) return basePath is null ? source : Transfer.FromBase(source, outputs);

        var layers = source.Layers;
        int pool = layers.IndexOf("avgpool");
        if (pool < 1) throw new InvalidOperationException($"'{basePath ?? Architecture}' has no 'avgpool' layer to put a grid head in place of.");
        var maps = source.Features(layers[pool - 1].Name);
        long channels = Transfer.FeatureWidth(source);
        var head = nn.Sequential(
            ("pool", nn.AdaptiveAvgPool2d(headGrid)),
            ("flatten", nn.Flatten(1)),
            ("fc", nn.Linear(channels * headGrid * headGrid, outputs)));
        return new Network(Architecture, maps.Children.Append(("head", (nn.Module<Tensor, Tensor>)head)), inline: false, headName: "head");
    }

    /// <summary>The preprocessing recorded in saved models of this experiment.</summary>
    public static string PreprocessingJson =>
        """{"channels":1,"mean":[0.2860],"std":[0.3530],"scale":"unit","resize":28,"crop":28}""";

    /// <summary>
    /// The target task's data: the pool of training images (first <see cref="PoolPerClass"/> per target class, in file
    /// order) and all target test images, relabelled 0..4 in the order of <see cref="TargetClasses"/>. Read from the
    /// full dataset when one is found, else from the repository's subset in <paramref name="shippedFolder"/>.
    /// </summary>
    /// <exception cref="FileNotFoundException">When neither is found.</exception>
    public static (IImageSource Pool, IImageSource Test, string From) LoadTarget(string? dataFolder, string? shippedFolder)
    {
        string? full = null;
        try { full = FashionMnist.Locate(dataFolder); }
        catch (FileNotFoundException) when (shippedFolder is not null) { }
        if (full is not null)
        {
            var (pool, test) = TargetFromFull(full);
            return (pool, test, full);
        }
        var (shippedPool, shippedTest) = TargetFromShipped(shippedFolder!);
        return (shippedPool, shippedTest, shippedFolder!);
    }

    /// <summary>The target pool and test images taken from the full dataset in <paramref name="folder"/>.</summary>
    public static (IImageSource Pool, IImageSource Test) TargetFromFull(string folder)
    {
        var train = FashionMnist.LoadTrain(folder).SelectClasses(TargetClasses.ToArray());
        var test = FashionMnist.LoadTest(folder).SelectClasses(TargetClasses.ToArray());
        return (FirstPerClass(train, PoolPerClass), test);
    }

    /// <summary>The target pool and test images from the repository's subset in <paramref name="folder"/>.</summary>
    public static (IImageSource Pool, IImageSource Test) TargetFromShipped(string folder)
    {
        IImageSource Read(string part) => InMemoryImages.FromIdx(Path.Combine(folder, $"{part}-images-idx3-ubyte.gz"),
                Path.Combine(folder, $"{part}-labels-idx1-ubyte.gz"), FashionMnist.ClassNames, $"fashion-mnist {part}")
            .SelectClasses(TargetClasses.ToArray());
        return (Read("target-train"), Read("target-test"));
    }

    private static SourceView FirstPerClass(IImageSource source, int perClass)
    {
        var taken = new int[source.ClassNames.Count];
        var keep = new List<int>();
        for (int i = 0; i < source.Count; i++)
        {
            int label = source.GetLabel(i);
            if (taken[label] < perClass) { taken[label]++; keep.Add(i); }
        }
        return new SourceView(source, keep.ToArray());
    }
}
