using System.Globalization;
using Graft.Text;
using Graft.Training;
using Graft.Training.Strategies;
using TorchSharp;
using static TorchSharp.torch;
using Xunit.Abstractions;

namespace Graft.Tests.Text;

/// <summary>
/// Issue 10's acceptance: on <see cref="TopicCorpus"/> (four topics, texts of three topic words among nine
/// shared fillers, 15% of topic words borrowed from another topic, vectors clustering each topic's words with some
/// words missing), frozen pretrained vectors beat a randomly initialised trainable embedding of the same size at
/// small training sizes, and fine-tuning after the head has converged keeps feature extraction's accuracy. Means
/// over seeds on 400 held-out texts; everything seeded.
/// </summary>
[Collection("Training")]
public class TextTransferTests(ITestOutputHelper output)
{
    private const int Epochs = 30;
    private static readonly int[] Seeds = [1, 2, 3, 4, 5];

    [Fact]
    public void PretrainedVectorsBeatRandomEmbeddingsWithFewExamplesAndFineTuningKeepsTheGain()
    {
        using var folder = new TempFolder();
        var corpus = new TopicCorpus();
        var vectors = WordVectors.Load(corpus.WriteVectors(folder.File("topics.glove.txt")));
        var test = corpus.Texts(100, seed: 999);

        var table = new Dictionary<(string Strategy, int PerClass), double>();
        foreach (int perClass in new[] { 8, 16, 32 })
        {
            foreach (var (name, strategy) in Strategies())
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                double[] accuracies = [.. Seeds.Select(seed => Accuracy(corpus, vectors, corpus.Texts(perClass, seed), test, strategy, seed))];
                double mean = accuracies.Average();
                table[(name, perClass)] = mean;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{perClass,3} per class  {name,-18} mean accuracy {mean:F3}  ({string.Join(" ", accuracies.Select(a => a.ToString("F3", CultureInfo.InvariantCulture)))})  {clock.Elapsed.TotalSeconds:F1} s"));
            }
            double scratch = table[("scratch", perClass)], extraction = table[("feature-extraction", perClass)], fineTune = table[("fine-tune", perClass)];
            // Measured gaps: 0.229, 0.227 and 0.151 at 8, 16 and 32 per class; 0.1 leaves room for another libtorch build.
            Assert.True(extraction >= scratch + 0.1,
                $"{perClass} per class: frozen pretrained vectors ({extraction:F3}) should beat a random trainable embedding ({scratch:F3}) by 0.1");
            // Phase 2 moves the embedding at 2e-4 (Adam moves a weight by about its rate per step at most): over 20 epochs
            // of at most 4 steps that is ≤ 0.016 per coordinate against the vectors' spread of 0.5, and the head goes on
            // at 2e-3 from where it converged. Losing more than 0.01 (4 of 400 texts on average) would mean phase 2 undid
            // phase 1. Measured differences: +0.004, 0.000, +0.001.
            Assert.True(fineTune >= extraction - 0.01,
                $"{perClass} per class: fine-tuning ({fineTune:F3}) should keep feature extraction's accuracy ({extraction:F3}) within 0.01");
        }
        Assert.True(table[("feature-extraction", 32)] > 0.8, $"feature extraction at 32 per class reached only {table[("feature-extraction", 32)]:F3}");
    }

    private static IEnumerable<(string Name, Strategy Strategy)> Strategies() =>
    [
        ("scratch", new Scratch(Epochs)),
        ("feature-extraction", new FeatureExtraction(Epochs)),
        ("fine-tune", new FineTune(Epochs: 20) { Head = new FeatureExtraction(Epochs) }),
    ];

    [Fact]
    public void FeatureExtractionFreezesOnlyTheEmbeddingOfAConvolutionalModel()
    {
        var (corpus, vectors, folder) = Setup();
        using (folder)
        {
            var (model, encoder, train) = Prepare(corpus, vectors, corpus.Texts(8, seed: 3), seed: 3,
                matrix => new ConvTextClassifier(matrix, TopicCorpus.Topics.Length,
                    new ConvTextClassifierOptions { Filters = 8, KernelSize = 3, Blocks = 1, DenseUnits = 8 }));
            using (model)
            using (var learner = new Learner(model, train, options: new TrainOptions { LearningRate = 1e-2, Seed = 3 }))
            {
                Assert.Equal(["embedding"], learner.TransferModel!.BaseLayers.Names);
                Assert.Equal(["encoder", "pool", "head"], learner.TransferModel.HeadLayers.Names);
                Assert.Equal(["embedding.weight"], learner.Optimizer.Groups.Where(g => g.Name.StartsWith("base", StringComparison.Ordinal))
                    .SelectMany(g => g.Parameters).Select(p => p.Name));
                var before = Graft.Tests.Training.Bits.Of(model);

                var result = learner.Run(new FeatureExtraction(Epochs: 3));

                Assert.False(Assert.Single(result.Phases).UsedFeatureCache); // the cache is for networks; the embedding is cheap
                var after = Graft.Tests.Training.Bits.Of(model);
                Assert.True(Graft.Tests.Training.Bits.Same(before["embedding.weight"], after["embedding.weight"]), "the frozen embedding changed");
                Assert.All(["encoder.conv1.weight", "head.dense.weight", "head.classifier.weight"],
                    key => Assert.False(Graft.Tests.Training.Bits.Same(before[key], after[key]), $"{key} did not train"));
                Assert.False(model.EmbeddingTrainable);
            }
        }
    }

    [Fact]
    public void FineTuningUnfreezesTheEmbeddingAtALowerRateAfterTheHead()
    {
        var (corpus, vectors, folder) = Setup();
        using (folder)
        {
            var (model, encoder, train) = Prepare(corpus, vectors, corpus.Texts(8, seed: 4), seed: 4);
            using (model)
            using (var learner = new Learner(model, train, options: new TrainOptions { LearningRate = 1e-2, Seed = 4 }))
            {
                var pretrained = model.Embedding.weight!.detach().clone();
                var seen = new List<(string Phase, bool EmbeddingTrainable, double Head, double Base)>();
                learner.EpochEnded += (_, e) => seen.Add((e.Record.Phase, model.EmbeddingTrainable,
                    learner.Optimizer.Groups.Single(g => g.Name == "head").LearningRate, learner.Optimizer.Groups.Single(g => g.Name == "base").LearningRate));
                Tensor? afterHead = null;
                learner.FitEnded += (_, e) =>
                {
                    if (e.Result.Name == "head") afterHead = model.Embedding.weight!.detach().clone();
                };

                var result = learner.Run(new FineTune(Epochs: 3) { Head = new FeatureExtraction(Epochs: 3) });

                Assert.Equal(["head", "fine-tune"], result.Phases.Select(p => p.Name));
                Assert.All(seen.Where(s => s.Phase == "head"), s => Assert.False(s.EmbeddingTrainable));
                Assert.All(seen.Where(s => s.Phase == "fine-tune"), s =>
                {
                    Assert.True(s.EmbeddingTrainable);
                    Assert.Equal(1e-3, s.Head, 12);   // the head's rate / 10
                    Assert.Equal(1e-4, s.Base, 12);   // and the embedding at a tenth of that
                });
                Assert.True(Graft.Tests.Training.Bits.Same(pretrained, afterHead!), "the embedding moved while frozen");
                using var change = (model.Embedding.weight!.detach() - pretrained).abs();
                Assert.True(change.max().item<float>() > 0, "fine-tuning did not move the embedding");
                int steps = 3 * train.Count;
                Assert.True(change.max().item<float>() < 2 * steps * 1e-4, $"the embedding moved faster than its rate allows over {steps} steps");
                Assert.Equal(0f, model.Embedding.weight![Vocabulary.PaddingIndex].abs().sum().item<float>()); // padding gets no gradient
                pretrained.Dispose();
                afterHead!.Dispose();
            }
        }
    }

    [Fact]
    public void ScratchDrawsTheEmbeddingAsNnEmbeddingDoesAndTrainsEverything()
    {
        var (corpus, vectors, folder) = Setup();
        using (folder)
        {
            var (model, encoder, train) = Prepare(corpus, vectors, corpus.Texts(32, seed: 5), seed: 5);
            using (model)
            using (var learner = new Learner(model, train, options: new TrainOptions { LearningRate = 1e-2, Seed = 5 }))
            {
                var pretrained = Graft.Tests.Training.Bits.Of(model);
                int redraws = 0;
                learner.FitStarted += (_, _) =>
                {
                    // Just re-drawn, not trained yet: N(0, 1) like nn.Embedding, padding row zero.
                    redraws++;
                    var weight = model.Embedding.weight!.detach();
                    using var rows = weight[1..];
                    Assert.Equal(0.0, rows.mean().item<float>(), 0.05);
                    Assert.Equal(1.0, rows.std().item<float>(), 0.05);
                    Assert.Equal(0f, weight[Vocabulary.PaddingIndex].abs().sum().item<float>());
                };

                learner.Run(new Scratch(Epochs: 2));

                Assert.Equal(1, redraws);
                Assert.True(model.EmbeddingTrainable);
                Assert.True(Trainability(model));
                var now = Graft.Tests.Training.Bits.Of(model);
                Assert.All(pretrained.Keys, key => Assert.False(Graft.Tests.Training.Bits.Same(pretrained[key], now[key]), $"{key} kept its old value"));
            }
        }
    }

    private static bool Trainability(TextClassifier model) => Graft.Layers.Trainability.IsTrainable(model);

    private static (TopicCorpus Corpus, WordVectors Vectors, TempFolder Folder) Setup()
    {
        var folder = new TempFolder();
        var corpus = new TopicCorpus();
        return (corpus, WordVectors.Load(corpus.WriteVectors(folder.File("topics.glove.txt"))), folder);
    }

    /// <summary>What <c>graft train-text</c> does before training: vocabulary of the training texts, their vectors,
    /// encoder, model (seeded) and a shuffled batch source.</summary>
    private static (TextClassifier Model, TextEncoder Encoder, TextBatchSource Train) Prepare(TopicCorpus corpus, WordVectors vectors,
        LabeledTexts train, int seed, Func<EmbeddingMatrix, TextClassifier>? create = null)
    {
        var tokenizer = new Tokenizer();
        var vocabulary = Vocabulary.Build(train.Texts, tokenizer);
        var matrix = EmbeddingMatrix.Build(vectors, vocabulary, new EmbeddingMatrixOptions { Seed = seed });
        var encoder = new TextEncoder(tokenizer, vocabulary, maxLength: corpus.TopicWordsPerText + corpus.FillerWordsPerText);
        torch.manual_seed(seed);
        var model = create?.Invoke(matrix) ?? new PooledTextClassifier(matrix, TopicCorpus.Topics.Length);
        return (model, encoder, new TextBatchSource(train.Encode(encoder), batchSize: 32, seed: seed));
    }

    private static double Accuracy(TopicCorpus corpus, WordVectors vectors, LabeledTexts train, LabeledTexts test, Strategy strategy, int seed)
    {
        var (model, encoder, source) = Prepare(corpus, vectors, train, seed);
        using (model)
        using (var learner = new Learner(model, source, options: new TrainOptions { LearningRate = 2e-2, Seed = seed }))
        {
            learner.Run(strategy);
            return learner.Evaluate(new TextBatchSource(test.Encode(encoder), batchSize: 400, shuffle: false))["accuracy"];
        }
    }
}
