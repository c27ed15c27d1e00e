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

namespace Graft.Cli.Commands;

/// <summary>
/// <c>graft train-text</c>: trains a text classifier on a CSV/TSV file over pretrained word vectors (GloVe,
/// word2vec, fastText) and writes a run folder with the saved model (vocabulary and tokenizer settings included),
/// <c>metrics.csv</c>, charts and <c>report.md</c>. Only the vectors of the training vocabulary are loaded, in one
/// streamed pass over the vectors file.
/// </summary>
public static class TrainTextCommand
{
    private static readonly string[] StrategyNames = ["feature-extraction", "fine-tune", "scratch"];

    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var data = new Option<string>("--data") { Required = true, Description = "CSV or TSV file of texts and class labels, with a header line (UTF-8)" };
        var textColumn = new Option<string>("--text-column")
        {
            Description = "Column holding the text: a header name, or a 0-based index", DefaultValueFactory = _ => "text",
        };
        var labelColumn = new Option<string>("--label-column")
        {
            Description = "Column holding the class label: a header name, or a 0-based index", DefaultValueFactory = _ => "label",
        };
        var vectors = new Option<string>("--vectors")
        {
            Required = true, Description = "Pretrained word vectors: GloVe text, word2vec text or binary, fastText .vec; plain or .gz",
        };
        var strategy = CliOptions.Choice("--strategy", "feature-extraction",
            "feature-extraction (frozen vectors, the layers after them trained), fine-tune (then the vectors too, at a lower rate) "
            + "or scratch (the same model with a random, trainable embedding: the baseline)", StrategyNames);
        var epochs = CliOptions.Int("--epochs", 10, 1,
            "Epochs of feature extraction (for fine-tuning: of the head phase, with early stopping when there is validation data) or of scratch training");
        var fineTuneEpochs = CliOptions.Int("--fine-tune-epochs", 5, 1, "Epochs of the fine-tuning phase (embedding unfrozen)");
        var rate = CliOptions.PositiveNumber("--lr",
            "Learning rate, AdamW (default 0.001); the fine-tuning phase uses a tenth for the head and a hundredth for the embedding");
        var maxLength = CliOptions.Int("--max-length", 200, 1, "Tokens per text: longer texts are cut at the end, shorter ones padded");
        var model = CliOptions.Choice("--model", "pooled",
            "pooled (word vectors averaged, then a linear classifier: fast, strong on short texts) or cnn (1-D convolutions, Keras' pretrained-embeddings example)",
            "pooled", "cnn");
        var validationSplit = CliOptions.Fraction("--val-split", 0.2, "Share of each class held out for validation (0 for none)");
        var seed = CliOptions.Int("--seed", 0, 0, "Seed of the split, the data order and the fresh weights: the same seed gives the same run");
        var output = new Option<string?>("--out") { Description = "The run folder (default: runs/train-text-<date>-<time>)" };
        var maxWords = CliOptions.OptionalInt("--max-words", 1, "Keep at most this many vocabulary words, the most frequent in the training texts (default: all)");
        var batchSize = CliOptions.Int("--batch-size", 32, 1, "Texts per batch");
        var command = new Command("train-text",
            "Train a text classifier over pretrained word vectors (frozen, fine-tuned, or a random-embedding baseline) and write a run folder")
        {
            data, textColumn, labelColumn, vectors, strategy, epochs, fineTuneEpochs, rate, maxLength, model, validationSplit, seed, output, maxWords,
            batchSize,
        };
        command.SetAction((result, cancellation) => Task.FromResult(Run(result, new Settings(
            result.GetValue(data)!, result.GetValue(textColumn)!, result.GetValue(labelColumn)!, result.GetValue(vectors)!, result.GetValue(strategy)!,
            result.GetValue(epochs), result.GetValue(fineTuneEpochs), result.GetValue(rate) ?? 1e-3, result.GetValue(maxLength), result.GetValue(model)!,
            result.GetValue(validationSplit), result.GetValue(seed), result.GetValue(output), result.GetValue(maxWords), result.GetValue(batchSize)),
            cancellation)));
        return command;
    }

    private static int Run(ParseResult result, Settings settings, CancellationToken cancellation)
    {
        var ui = GlobalOptions.Ui(result);
        string dataPath = ExistingFile(settings.Data, "--data", "the CSV or TSV file of texts and labels");
        string vectorsPath = ExistingFile(settings.Vectors, "--vectors", "a word-vectors file such as glove.6B.100d.txt (GloVe, word2vec or fastText, plain or .gz)");
        var data = Read(dataPath, settings);
        if (data.Classes.Count < 2)
            throw new UsageException($"'{settings.Data}' has a single class ('{data.Classes[0]}'); a classifier needs at least two classes.");
        var (train, validation) = Split(data, settings, ui);

        var tokenizer = new Tokenizer();
        var vocabulary = Vocabulary.Build(train.Texts, tokenizer, new VocabularyOptions { MaxWords = settings.MaxWords });
        var clock = Stopwatch.StartNew();
        var vectors = WordVectors.Load(vectorsPath, new WordVectorReadOptions { Keep = vocabulary.Words });
        ui.Note(string.Create(CultureInfo.InvariantCulture,
            $"Word vectors: read {vectors.EntriesRead:N0} entries of {settings.Vectors} ({vectors.Format}, {vectors.Dimension} dimensions) in {clock.Elapsed.TotalSeconds:0.0} s; kept the {vectors.Count:N0} of the training vocabulary's {vocabulary.WordCount:N0} words."));
        foreach (string warning in vectors.Warnings.Take(5)) ui.Warn(warning);
        var matrix = EmbeddingMatrix.Build(vectors, vocabulary, new EmbeddingMatrixOptions { Seed = settings.Seed });
        ui.Note(Sentence(matrix.Coverage.ToString()));
        if (matrix.Coverage.WordShare < 0.5)
            ui.Warn(string.Create(CultureInfo.InvariantCulture,
                $"the vectors cover only {100 * matrix.Coverage.WordShare:0.0}% of the vocabulary: check that they are in the texts' language and lowercase like the tokenizer."));

        var encoder = new TextEncoder(tokenizer, vocabulary, settings.MaxLength);
        Compute.Seed(settings.Seed);
        TextClassifier classifier = settings.Model == "cnn"
            ? new ConvTextClassifier(matrix, data.Classes.Count, new ConvTextClassifierOptions { Blocks = ConvTextClassifierOptions.BlocksFor(settings.MaxLength) })
            : new PooledTextClassifier(matrix, data.Classes.Count);
        using var textModel = new TextModel(classifier, encoder, data.Classes);
        var trainSource = new TextBatchSource(train.Encode(encoder), settings.BatchSize, seed: settings.Seed);
        var validationSource = validation is null ? null : new TextBatchSource(validation.Encode(encoder), 256, shuffle: false);
        var folder = RunFolder.Create(settings.Out, "train-text");
        ui.Note($"Training {settings.Model} ({classifier.GetType().Name}) with {settings.Strategy} on {train.Count:N0} texts"
                + (validation is null ? "" : $", validating on {validation.Count:N0}")
                + $"; {data.Classes.Count} classes: {string.Join(", ", data.Classes)}. Run folder: {folder.Display}");

        using var learner = new Learner(classifier, trainSource, validationSource, options: new TrainOptions
        {
            LearningRate = settings.LearningRate,
            Seed = settings.Seed,
            Monitor = validationSource is null ? "loss" : "val_loss",
            ModelInfo = textModel.Info,
        });
        Follow(learner, ui);
        var run = learner.Run(CreateStrategy(settings, validationSource is not null), cancellation);

        var report = Report(result, settings, data, train, validation, vectors, matrix.Coverage, classifier);
        RunOutputs.History(folder, run, report, regression: false);
        if (cancellation.IsCancellationRequested || run.Phases.Any(p => p.Stop == StopReason.Requested))
        {
            report.Paragraph("The run was interrupted before it finished; no model was saved.").Save(folder.File("report.md"));
            throw new OperationCanceledException("training was interrupted");
        }
        if (run.Phases.FirstOrDefault(p => !p.Succeeded) is { } diverged)
        {
            report.Paragraph($"Training diverged: {diverged.Message}").Save(folder.File("report.md"));
            throw new InvalidOperationException(diverged.Message ?? $"Phase '{diverged.Name}' diverged.");
        }

        string modelPath = folder.File("model.safetensors");
        textModel.Save(modelPath);
        string scored = validationSource is null ? "Training texts" : "Validation";
        var scores = learner.Evaluate(validationSource ?? new TextBatchSource(train.Encode(encoder), 256, shuffle: false));
        RunOutputs.Scores(folder, scores, data.Classes, report, scored);
        report.Paragraph("Model: [model.safetensors](model.safetensors), with the vocabulary, tokenizer settings, sequence length and class names "
                         + "in its metadata: `TextModel.Load(path).Predict(texts, topK)` needs nothing else.")
            .Save(folder.File("report.md"));

        if (ui.Json)
        {
            ui.WriteJson(new
            {
                RunFolder = folder.Path,
                Model = modelPath,
                Architecture = settings.Model,
                Strategy = settings.Strategy,
                Classes = data.Classes,
                VocabularyWords = vocabulary.WordCount,
                Coverage = new { Words = matrix.Coverage.WordShare, Tokens = matrix.Coverage.TokenShare },
                Phases = run.Phases.Select(p => new { p.Name, Epochs = p.Epochs.Count, Stop = p.Stop.ToString(), BestEpoch = p.BestEpoch + 1 }),
                ScoredOn = validationSource is null ? "training" : "validation",
                Scores = RunOutputs.Json(scores),
            });
            return ExitCodes.Success;
        }
        ui.Show(RunTables.Phases(run, "loss", "accuracy"), "Training and validation, last epoch of each phase");
        RunOutputs.Show(ui, scores, data.Classes, $"{scored}: the saved model", perClass: !ui.Quiet);
        ui.Line($"Model:   {folder.DisplayFile("model.safetensors")}");
        ui.Line($"Report:  {folder.DisplayFile("report.md")}");
        return ExitCodes.Success;
    }

    private static string ExistingFile(string given, string option, string what)
    {
        string path = GraftHome.ExpandHome(given);
        return File.Exists(path)
            ? path
            : throw new UsageException($"{option}: '{given}' does not exist (looked for '{Path.GetFullPath(path)}'); give {what}.");
    }

    private static LabeledTexts Read(string path, Settings settings)
    {
        try
        {
            return TextCsvReader.Read(path, new TextCsvOptions { TextColumn = Column(settings.TextColumn), LabelColumn = Column(settings.LabelColumn) });
        }
        catch (MissingColumnException e)
        {
            throw new UsageException($"{e.Message}. Choose the column with --{e.Role}-column (a header name or a 0-based index).");
        }
    }

    private static ColumnSelector Column(string value)
    {
        value = value.Trim();
        if (value.Length == 0) throw new UsageException("--text-column and --label-column take a header name or a 0-based column index.");
        return value.All(char.IsAsciiDigit) ? ColumnSelector.ByIndex(int.Parse(value, CultureInfo.InvariantCulture)) : ColumnSelector.ByName(value);
    }

    private static (LabeledTexts Train, LabeledTexts? Validation) Split(LabeledTexts data, Settings settings, ConsoleUi ui)
    {
        if (settings.ValidationSplit == 0) return (data, null);
        var (train, validation) = data.StratifiedSplit(settings.ValidationSplit, settings.Seed);
        if (validation.Count > 0) return (train, validation);
        ui.Warn($"--val-split {settings.ValidationSplit.ToString(CultureInfo.InvariantCulture)} leaves no text for validation (each class needs at least 2); training without validation.");
        return (data, null);
    }

    private static Strategy CreateStrategy(Settings settings, bool hasValidation) => settings.Strategy switch
    {
        "scratch" => new Scratch(settings.Epochs),
        // Phase 2 starts from the head that converged: early stopping on validation loss restores its best epoch.
        "fine-tune" => new FineTune(settings.FineTuneEpochs)
        {
            Head = new FeatureExtraction(settings.Epochs, EarlyStopping: hasValidation ? new EarlyStopping(Patience: 2) : null),
        },
        _ => new FeatureExtraction(settings.Epochs),
    };

    /// <summary>A note per phase and per finished epoch (texts train in milliseconds per epoch: no live bar needed).</summary>
    private static void Follow(Learner learner, ConsoleUi ui)
    {
        int epochs = 0;
        learner.PhaseStarted += (_, e) => ui.Note($"Phase '{e.Phase}': {e.Description}.");
        learner.FitStarted += (_, e) => epochs = e.Epochs;
        learner.EpochEnded += (_, e) => ui.Note(TrainingProgress.EpochLine(e.Record, epochs));
        learner.FitEnded += (_, e) =>
        {
            if (e.Result.Stop == StopReason.EarlyStopped)
                ui.Note($"  '{e.Result.Name}' stopped early: the monitored metric stopped improving (best epoch {e.Result.BestEpoch + 1}).");
        };
    }

    private static MarkdownReport Report(ParseResult result, Settings settings, LabeledTexts data, LabeledTexts train, LabeledTexts? validation,
        WordVectors vectors, EmbeddingCoverage coverage, TextClassifier classifier)
    {
        var culture = CultureInfo.InvariantCulture;
        var counts = data.ClassCounts();
        var classes = new Table("class", "texts");
        for (int c = 0; c < data.Classes.Count; c++) classes.Add(data.Classes[c], counts[c]);
        var weights = WeightCounts.Of(classifier);
        return new MarkdownReport($"graft train-text: {settings.Model} on {Path.GetFileName(settings.Data)}")
            .Paragraph($"Command: `{CommandText.With(result)}`")
            .Paragraph(string.Create(culture,
                $"Strategy {settings.Strategy}, learning rate {settings.LearningRate:G3}, batch size {settings.BatchSize}, {settings.MaxLength} tokens per text, seed {settings.Seed}. "
                + $"Data {settings.Data} (text column `{settings.TextColumn}`, label column `{settings.LabelColumn}`): {data.Count:N0} texts, "
                + $"{train.Count:N0} for training and {validation?.Count ?? 0:N0} for validation (stratified split {settings.ValidationSplit})."))
            .Add(classes)
            .Heading("Vocabulary and vectors")
            .Paragraph(string.Create(culture,
                $"{classifier.VocabularySize - 2:N0} words from the training texts{(settings.MaxWords is { } cap ? $" (at most {cap:N0})" : "")}. "
                + $"{settings.Vectors} ({vectors.Format}, {vectors.Dimension} dimensions): {vectors.EntriesRead:N0} entries read, {vectors.Count:N0} kept. "
                + $"{Sentence(coverage.ToString())}"))
            .Heading("Model")
            .Paragraph(string.Create(culture,
                $"{classifier.GetType().Name}: {weights.Parameters:N0} parameters, {classifier.VocabularySize * classifier.EmbeddingDim:N0} of them in the embedding "
                + $"(the pretrained base; every later layer is the new head)."));
    }

    private static string Sentence(string text) => char.ToUpperInvariant(text[0]) + text[1..] + ".";

    /// <summary>What the command line asked for.</summary>
    private sealed record Settings(string Data, string TextColumn, string LabelColumn, string Vectors, string Strategy, int Epochs, int FineTuneEpochs,
        double LearningRate, int MaxLength, string Model, double ValidationSplit, int Seed, string? Out, int? MaxWords, int BatchSize);
}
