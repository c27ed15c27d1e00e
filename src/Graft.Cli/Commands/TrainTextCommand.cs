using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Graft.IO;
using Graft.Layers;
using Graft.Native;
using Graft.Reports;
using Graft.Text;
using Graft.Training;
using Graft.Training.Metrics;
using Graft.Training.Strategies;
using TorchSharp;
using Table = Graft.Reports.Table;

namespace Graft.Cli.Commands;

/// <summary>
/// <c>graft train-text</c>: trains a text classifier on a CSV/TSV file over pretrained word vectors (GloVe,
/// word2vec, fastText) and writes a run folder with the saved model (vocabulary and tokenizer settings included),
/// <c>metrics.csv</c>, <c>report.md</c> and charts. Only the vectors of the training vocabulary are loaded, in one
/// streamed pass over the vectors file.
/// </summary>
public static class TrainTextCommand
{
    private const string FeatureExtractionName = "feature-extraction", FineTuneName = "fine-tune", ScratchName = "scratch";

    /// <summary>The <c>train-text</c> command; <paramref name="quiet"/> and <paramref name="json"/> are the root's output options.</summary>
    public static Command Create(Option<bool> quiet, Option<bool> json)
    {
        var command = new Command("train-text",
            "Train a text classifier over pretrained word vectors (frozen, fine-tuned, or a random-embedding baseline) and write a run folder.");
        var arguments = new Arguments(quiet, json);
        arguments.StrategyName.AcceptOnlyFromAmong(FeatureExtractionName, FineTuneName, ScratchName);
        arguments.ModelName.AcceptOnlyFromAmong("pooled", "cnn");
        foreach (var option in arguments.Own) command.Options.Add(option);
        command.SetAction((parse, cancellation) => Task.FromResult(Run(Settings.From(parse, arguments), parse, cancellation)));
        return command;
    }

    private static int Run(Settings settings, ParseResult parse, CancellationToken cancellation)
    {
        var ui = new ConsoleUi(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, settings.Quiet, settings.Json);

        var data = ReadData(settings);
        if (data.Classes.Count < 2)
            throw new InvalidDataException($"{settings.Data}: every text has the label '{data.Classes[0]}'; a classifier needs at least two classes.");
        var (train, validation) = settings.ValidationSplit > 0
            ? data.StratifiedSplit(settings.ValidationSplit, settings.Seed)
            : (data, null);
        ui.Note(string.Create(CultureInfo.InvariantCulture,
            $"{data.Count:N0} texts in {data.Classes.Count} classes: {train.Count:N0} to train, {validation?.Count ?? 0:N0} to validate"));

        var tokenizer = new Tokenizer();
        var vocabulary = Vocabulary.Build(train.Texts, tokenizer, new VocabularyOptions { MaxWords = settings.MaxWords });
        var clock = Stopwatch.StartNew();
        var vectors = WordVectors.Load(settings.Vectors, new WordVectorReadOptions { Keep = vocabulary.Words });
        ui.Note(string.Create(CultureInfo.InvariantCulture,
            $"vectors: read {vectors.EntriesRead:N0} entries of {settings.Vectors} ({vectors.Format}, {vectors.Dimension} dimensions) in {clock.Elapsed.TotalSeconds:F1} s, kept the {vectors.Count:N0} of the {vocabulary.WordCount:N0}-word training vocabulary"));
        foreach (string warning in vectors.Warnings.Take(5)) ui.Warn(warning);
        var matrix = EmbeddingMatrix.Build(vectors, vocabulary, new EmbeddingMatrixOptions { Seed = settings.Seed });
        ui.Note(matrix.Coverage.ToString());
        if (matrix.Coverage.WordShare < 0.5)
            ui.Warn(string.Create(CultureInfo.InvariantCulture,
                $"the vectors cover only {100 * matrix.Coverage.WordShare:F1}% of the vocabulary: check that they are in the texts' language and lowercase like the tokenizer."));

        var encoder = new TextEncoder(tokenizer, vocabulary, settings.MaxLength);
        Compute.Seed(settings.Seed);
        TextClassifier classifier = settings.Model == "cnn"
            ? new ConvTextClassifier(matrix, data.Classes.Count, new ConvTextClassifierOptions { Blocks = ConvTextClassifierOptions.BlocksFor(settings.MaxLength) })
            : new PooledTextClassifier(matrix, data.Classes.Count);
        using var model = new TextModel(classifier, encoder, data.Classes);
        var trainSource = new TextBatchSource(train.Encode(encoder), settings.BatchSize, seed: settings.Seed);
        var validationSource = validation is { Count: > 0 } ? new TextBatchSource(validation.Encode(encoder), 256, shuffle: false) : null;
        using var learner = new Learner(classifier, trainSource, validationSource,
            options: new TrainOptions { LearningRate = settings.LearningRate, Seed = settings.Seed, ModelInfo = model.Info });
        var history = Follow(learner, ui);

        var result = learner.Run(CreateStrategy(settings, validationSource is not null), cancellation);
        cancellation.ThrowIfCancellationRequested();
        if (!result.Succeeded)
            throw new InvalidOperationException(result.Phases.First(p => !p.Succeeded).Message ?? "training diverged");

        Directory.CreateDirectory(settings.Out);
        string modelPath = Path.Combine(settings.Out, "model.safetensors");
        model.Save(modelPath);
        var trainMetrics = learner.Evaluate(new TextBatchSource(train.Encode(encoder), 256, shuffle: false));
        var validationMetrics = validationSource is null ? null : learner.Evaluate(validationSource);
        var epochs = EpochTable(history);
        AtomicFile.WriteAllText(Path.Combine(settings.Out, "metrics.csv"), epochs.ToCsv());
        var summary = Summary(trainMetrics, validationMetrics, train.Count, validation?.Count ?? 0);
        WriteReport(settings, data, train, validation, vectors, matrix.Coverage, classifier, result, history, epochs, summary, validationMetrics);

        if (settings.Json)
        {
            ui.WriteJson(new
            {
                Out = settings.Out,
                Model = modelPath,
                Strategy = settings.Strategy,
                Architecture = settings.Model,
                Classes = data.Classes,
                Vocabulary = vocabulary.WordCount,
                Coverage = new { Words = matrix.Coverage.WordShare, Tokens = matrix.Coverage.TokenShare },
                Train = Scalars(trainMetrics),
                Validation = validationMetrics is null ? null : Scalars(validationMetrics),
                Epochs = history.Count,
            });
        }
        else
        {
            ui.Show(summary, $"{settings.Strategy} · {settings.Model} · final metrics");
            ui.Line($"run folder: {settings.Out} (model.safetensors, metrics.csv with every epoch, report.md, charts)");
        }
        return ExitCodes.Success;
    }

    private static LabeledTexts ReadData(Settings settings)
    {
        try
        {
            return TextCsvReader.Read(settings.Data,
                new TextCsvOptions { TextColumn = Column(settings.TextColumn), LabelColumn = Column(settings.LabelColumn) });
        }
        catch (MissingColumnException e)
        {
            throw new UsageException($"{e.Message}. Choose the column with --{e.Role}-column (a header name or a 0-based index).");
        }
    }

    private static ColumnSelector Column(string value) =>
        value.Length > 0 && value.All(char.IsAsciiDigit) ? ColumnSelector.ByIndex(int.Parse(value, CultureInfo.InvariantCulture)) : ColumnSelector.ByName(value);

    private static Strategy CreateStrategy(Settings settings, bool hasValidation) => settings.Strategy switch
    {
        ScratchName => new Scratch(settings.Epochs),
        // Phase 2 starts from the head that converged: early stopping on validation loss restores its best epoch.
        FineTuneName => new FineTune(settings.FineTuneEpochs)
        {
            Head = new FeatureExtraction(settings.Epochs, EarlyStopping: hasValidation ? new EarlyStopping(Patience: 2) : null),
        },
        _ => new FeatureExtraction(settings.Epochs),
    };

    /// <summary>Notes each phase and epoch as it ends; returns the list the epochs are collected in.</summary>
    private static List<EpochRecord> Follow(Learner learner, ConsoleUi ui)
    {
        var history = new List<EpochRecord>();
        int phaseEpochs = 0;
        learner.PhaseStarted += (_, e) => ui.Note($"{e.Phase}: {e.Description}");
        learner.FitStarted += (_, e) => phaseEpochs = e.Epochs;
        learner.EpochEnded += (_, e) =>
        {
            history.Add(e.Record);
            var r = e.Record;
            string validation = r.Validation is null ? "" : string.Create(CultureInfo.InvariantCulture,
                $"  val_loss {r.Validation["loss"]:F4}  val_accuracy {r.Validation["accuracy"]:F4}");
            ui.Note(string.Create(CultureInfo.InvariantCulture,
                $"{r.Phase} epoch {r.Epoch + 1}/{phaseEpochs}  loss {r.Train["loss"]:F4}  accuracy {r.Train["accuracy"]:F4}{validation}  ({r.Duration.TotalSeconds:F1} s)"));
        };
        learner.FitEnded += (_, e) =>
        {
            if (e.Result.Stop == StopReason.EarlyStopped)
                ui.Note($"{e.Result.Name}: stopped early, best epoch {e.Result.BestEpoch + 1} restored");
        };
        return history;
    }

    private static Table EpochTable(IReadOnlyList<EpochRecord> history)
    {
        var table = new Table("epoch", "phase", "phase_epoch", "loss", "accuracy", "val_loss", "val_accuracy", "learning_rate", "seconds");
        for (int i = 0; i < history.Count; i++)
        {
            var r = history[i];
            table.Add(i + 1, r.Phase, r.Epoch + 1, r.Train["loss"], r.Train["accuracy"], r.Validation?["loss"], r.Validation?["accuracy"],
                r.LearningRate.ToString("G3", CultureInfo.InvariantCulture), Math.Round(r.Duration.TotalSeconds, 2));
        }
        return table;
    }

    private static Table Summary(MetricValues train, MetricValues? validation, int trainCount, int validationCount)
    {
        var table = new Table("split", "texts", "loss", "accuracy", "macro_f1");
        table.Add("train", trainCount, train["loss"], train["accuracy"], train.Confusion?.MacroF1);
        if (validation is not null) table.Add("validation", validationCount, validation["loss"], validation["accuracy"], validation.Confusion?.MacroF1);
        return table;
    }

    private static Dictionary<string, double> Scalars(MetricValues values) =>
        values.Scalars.Where(kv => double.IsFinite(kv.Value)).ToDictionary(kv => kv.Key, kv => kv.Value);

    private static void WriteReport(Settings settings, LabeledTexts data, LabeledTexts train, LabeledTexts? validation, WordVectors vectors,
        EmbeddingCoverage coverage, TextClassifier classifier, RunResult result, IReadOnlyList<EpochRecord> history, Table epochs, Table summary,
        MetricValues? validationMetrics)
    {
        var culture = CultureInfo.InvariantCulture;
        var counts = data.ClassCounts();
        var weights = WeightCounts.Of(classifier);
        var report = new MarkdownReport($"Text classification: {Path.GetFileName(settings.Data)}")
            .Paragraph(string.Create(culture,
                $"Strategy **{settings.Strategy}**, model **{settings.Model}**, seed {settings.Seed}, learning rate {settings.LearningRate:G3}, "
                + $"batch size {settings.BatchSize}, {settings.MaxLength} tokens per text."))
            .Heading("Data")
            .Paragraph(string.Create(culture,
                $"{data.Count:N0} texts from `{settings.Data}` (text column `{settings.TextColumn}`, label column `{settings.LabelColumn}`): "
                + $"{train.Count:N0} for training, {validation?.Count ?? 0:N0} for validation (stratified, {100 * settings.ValidationSplit:0.#}%)."));
        var classes = new Table("class", "texts");
        for (int c = 0; c < data.Classes.Count; c++) classes.Add(data.Classes[c], counts[c]);
        report.Add(classes)
            .Heading("Vocabulary and vectors")
            .Paragraph(string.Create(culture,
                $"{classifier.VocabularySize - 2:N0} words from the training texts{(settings.MaxWords is { } cap ? $" (at most {cap:N0})" : "")}. "
                + $"`{settings.Vectors}` ({vectors.Format}, {vectors.Dimension} dimensions): {vectors.EntriesRead:N0} entries read, "
                + $"{vectors.Count:N0} kept. {char.ToUpperInvariant(coverage.ToString()[0])}{coverage.ToString()[1..]}."))
            .Heading("Model and training")
            .Paragraph(string.Create(culture,
                $"{classifier.GetType().Name}: {weights.Parameters:N0} parameters, of which the embedding holds {classifier.VocabularySize * classifier.EmbeddingDim:N0}."));
        var phases = new Table("phase", "epochs", "stop", "best_epoch");
        foreach (var phase in result.Phases)
            phases.Add(phase.Name, phase.Epochs.Count, phase.Stop.ToString(), phase.BestEpoch is { } best ? best + 1 : null);
        report.Add(phases).Heading("Results").Add(summary);

        if (validationMetrics?.Confusion is { } confusion)
        {
            var perClass = new Table("class", "precision", "recall", "f1");
            for (int c = 0; c < data.Classes.Count; c++) perClass.Add(data.Classes[c], confusion.Precision(c), confusion.Recall(c), confusion.F1(c));
            report.Paragraph("Per class, on the validation texts:").Add(perClass);
            Charts.ConfusionMatrix(Path.Combine(settings.Out, "confusion.png"), "Validation confusion matrix", confusion.ToArray(), data.Classes);
            report.Image("confusion matrix", "confusion.png");
        }
        if (history.Count > 0)
        {
            double[] x = [.. Enumerable.Range(1, history.Count).Select(i => (double)i)];
            var boundaries = Enumerable.Range(1, history.Count - 1).Where(i => history[i].Phase != history[i - 1].Phase)
                .Select(i => (i + 0.5, history[i].Phase)).ToList();
            var accuracy = new List<Series> { new("train", x, [.. history.Select(r => r.Train["accuracy"])]) };
            var loss = new List<Series> { new("train", x, [.. history.Select(r => r.Train["loss"])]) };
            if (history.All(r => r.Validation is not null))
            {
                accuracy.Add(new Series("validation", x, [.. history.Select(r => r.Validation!["accuracy"])]));
                loss.Add(new Series("validation", x, [.. history.Select(r => r.Validation!["loss"])]));
            }
            Charts.LearningCurves(Path.Combine(settings.Out, "accuracy.png"), "Accuracy", "accuracy", accuracy, boundaries);
            Charts.LearningCurves(Path.Combine(settings.Out, "loss.png"), "Loss", "loss", loss, boundaries);
            report.Image("accuracy by epoch", "accuracy.png").Image("loss by epoch", "loss.png");
        }
        report.Heading("Epochs").Add(epochs)
            .Paragraph("`model.safetensors` holds the weights with the vocabulary, tokenizer settings, sequence length and class names in its "
                       + "metadata: `TextModel.Load(path).Predict(texts, topK)` needs nothing else.")
            .Save(Path.Combine(settings.Out, "report.md"));
    }

    /// <summary>The verb's options; made anew for each command tree, since an option belongs to one command.</summary>
    private sealed class Arguments(Option<bool> quiet, Option<bool> json)
    {
        public readonly Option<FileInfo> Data = new("--data")
        {
            Description = "CSV or TSV file of texts and class labels, with a header line (UTF-8).",
            Required = true,
        };

        public readonly Option<string> TextColumn = new("--text-column")
        {
            Description = "Column holding the text: a header name, or a 0-based index.",
            DefaultValueFactory = _ => "text",
        };

        public readonly Option<string> LabelColumn = new("--label-column")
        {
            Description = "Column holding the class label: a header name, or a 0-based index.",
            DefaultValueFactory = _ => "label",
        };

        public readonly Option<FileInfo> Vectors = new("--vectors")
        {
            Description = "Pretrained word vectors: GloVe text, word2vec text or binary, fastText .vec; plain or .gz.",
            Required = true,
        };

        public readonly Option<string> StrategyName = new("--strategy")
        {
            Description = "feature-extraction: frozen vectors, the rest trained; fine-tune: then the vectors too, at a lower rate; "
                          + "scratch: the same model with a random, trainable embedding (the baseline).",
            DefaultValueFactory = _ => FeatureExtractionName,
        };

        public readonly Option<int> Epochs = new("--epochs")
        {
            Description = "Epochs of feature extraction (phase 1 of fine-tuning, with early stopping when there is validation data), or of scratch training.",
            DefaultValueFactory = _ => 10,
        };

        public readonly Option<int> FineTuneEpochs = new("--fine-tune-epochs")
        {
            Description = "Epochs of phase 2 of fine-tuning (embedding unfrozen).",
            DefaultValueFactory = _ => 5,
        };

        public readonly Option<double> LearningRate = new("--lr")
        {
            Description = "Peak learning rate (AdamW); fine-tuning's phase 2 uses a tenth for the head and a hundredth for the embedding.",
            DefaultValueFactory = _ => 1e-3,
        };

        public readonly Option<int> MaxLength = new("--max-length")
        {
            Description = "Tokens per text: longer texts are cut at the end, shorter ones padded.",
            DefaultValueFactory = _ => 200,
        };

        public readonly Option<string> ModelName = new("--model")
        {
            Description = "pooled: word vectors averaged, then a linear classifier (fast, strong on short texts); "
                          + "cnn: 1-D convolutions over the vectors (Keras' pretrained-embeddings example).",
            DefaultValueFactory = _ => "pooled",
        };

        public readonly Option<double> ValidationSplit = new("--val-split")
        {
            Description = "Share of each class held out for validation (0 for none).",
            DefaultValueFactory = _ => 0.2,
        };

        public readonly Option<int> Seed = new("--seed")
        {
            Description = "Seed of the split, the shuffling and the weights: the same seed gives the same run.",
            DefaultValueFactory = _ => 42,
        };

        public readonly Option<DirectoryInfo?> Out = new("--out")
        {
            Description = "Run folder to write (default: runs/text-<time>).",
        };

        public readonly Option<int?> MaxWords = new("--max-words")
        {
            Description = "Keep at most this many vocabulary words, the most frequent in the training texts (default: all).",
        };

        public readonly Option<int> BatchSize = new("--batch-size")
        {
            Description = "Texts per training step.",
            DefaultValueFactory = _ => 32,
        };

        /// <summary>The root's --quiet and --json (recursive options, read here, added there).</summary>
        public Option<bool> Quiet { get; } = quiet;

        public Option<bool> Json { get; } = json;

        public Option[] Own =>
        [
            Data, TextColumn, LabelColumn, Vectors, StrategyName, Epochs, FineTuneEpochs, LearningRate, MaxLength, ModelName,
            ValidationSplit, Seed, Out, MaxWords, BatchSize,
        ];
    }

    /// <summary>The command line's values, checked.</summary>
    private sealed record Settings(string Data, string TextColumn, string LabelColumn, string Vectors, string Strategy, int Epochs, int FineTuneEpochs,
        double LearningRate, int MaxLength, string Model, double ValidationSplit, int Seed, string Out, int? MaxWords, int BatchSize, bool Quiet,
        bool Json)
    {
        /// <exception cref="UsageException">When a value is out of range or a file does not exist.</exception>
        public static Settings From(ParseResult parse, Arguments options)
        {
            var data = parse.GetValue(options.Data)!;
            var vectors = parse.GetValue(options.Vectors)!;
            if (!data.Exists) throw new UsageException($"--data: '{data.FullName}' does not exist; pass the CSV or TSV file of texts and labels.");
            if (!vectors.Exists)
                throw new UsageException($"--vectors: '{vectors.FullName}' does not exist; pass a word-vectors file such as glove.6B.100d.txt (GloVe, word2vec or fastText, plain or .gz).");
            int epochs = AtLeast(parse.GetValue(options.Epochs), 1, "--epochs");
            int fineTuneEpochs = AtLeast(parse.GetValue(options.FineTuneEpochs), 1, "--fine-tune-epochs");
            double rate = parse.GetValue(options.LearningRate);
            if (!(rate > 0 && double.IsFinite(rate))) throw new UsageException($"--lr: {rate.ToString(CultureInfo.InvariantCulture)} is not a positive learning rate; try 1e-3.");
            int maxLength = AtLeast(parse.GetValue(options.MaxLength), 1, "--max-length");
            double split = parse.GetValue(options.ValidationSplit);
            if (!(split >= 0 && split < 1))
                throw new UsageException($"--val-split: {split.ToString(CultureInfo.InvariantCulture)} is not a share in [0, 1); use e.g. 0.2, or 0 for no validation.");
            int? maxWords = parse.GetValue(options.MaxWords);
            if (maxWords is { } words) AtLeast(words, 1, "--max-words");
            int batchSize = AtLeast(parse.GetValue(options.BatchSize), 1, "--batch-size");
            string textColumn = NotEmpty(parse.GetValue(options.TextColumn), "--text-column");
            string labelColumn = NotEmpty(parse.GetValue(options.LabelColumn), "--label-column");
            string output = parse.GetValue(options.Out)?.FullName
                            ?? Path.GetFullPath(Path.Combine("runs", $"text-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}"));
            if (File.Exists(output)) throw new UsageException($"--out: '{output}' is a file; pass a folder for the run.");
            return new Settings(data.FullName, textColumn, labelColumn, vectors.FullName, parse.GetValue(options.StrategyName)!, epochs, fineTuneEpochs, rate,
                maxLength, parse.GetValue(options.ModelName)!, split, parse.GetValue(options.Seed), output, maxWords, batchSize,
                parse.GetValue(options.Quiet), parse.GetValue(options.Json));
        }

        private static int AtLeast(int value, int minimum, string option) => value >= minimum
            ? value
            : throw new UsageException($"{option}: {value} is too small; it must be at least {minimum}.");

        private static string NotEmpty(string? value, string option) => !string.IsNullOrWhiteSpace(value)
            ? value.Trim()
            : throw new UsageException($"{option}: give a header name or a 0-based column index.");
    }
}
