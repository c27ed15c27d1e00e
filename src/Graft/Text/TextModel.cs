using Graft.Training;
using Graft.Training.Tasks;
using Graft.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Text;

/// <summary>
/// A trained text classifier with everything needed to use it on raw texts: the model, the encoder (tokenizer
/// settings, vocabulary, sequence length) and the class names. Saves to one <c>.safetensors</c> file (a
/// <see cref="SavedModel"/> whose metadata also holds <see cref="TextClassifier.ToMetadata"/> and
/// <see cref="TextEncoder.ToMetadata"/>) that <see cref="Load"/> reads back with nothing else.
/// </summary>
public sealed class TextModel : IDisposable
{
    private const int PredictBatchSize = 256;

    /// <summary>Bundles a classifier with its encoder, class names and task (plain classification by default). The model keeps <paramref name="classifier"/>
    /// and disposes it with itself.</summary>
    /// <exception cref="ArgumentException">When the class names, vocabulary or sequence length do not fit the classifier.</exception>
    public TextModel(TextClassifier classifier, TextEncoder encoder, IReadOnlyList<string> classes, Classification? task = null)
    {
        if (classes.Count != classifier.NumClasses)
            throw new ArgumentException($"{classes.Count} class names for a classifier with {classifier.NumClasses} outputs", nameof(classes));
        if (encoder.Vocabulary.Count != classifier.VocabularySize)
            throw new ArgumentException(
                $"the vocabulary has {encoder.Vocabulary.Count} entries but the classifier's embedding has {classifier.VocabularySize} rows", nameof(encoder));
        Classifier = classifier;
        Encoder = encoder;
        Classes = classes;
        Info = Describe(classifier, encoder, classes, task);
    }

    /// <summary>The classifier.</summary>
    public TextClassifier Classifier { get; }

    /// <summary>Texts to indices, as in training.</summary>
    public TextEncoder Encoder { get; }

    /// <summary>Class names in output order.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>What the saved file records about the model.</summary>
    public ModelInfo Info { get; }

    /// <summary>
    /// The <see cref="ModelInfo"/> of a text model: the architecture's name, the classes, the task, and as extra
    /// metadata the architecture's settings and the encoder's. Pass it as <see cref="TrainOptions.ModelInfo"/> so the
    /// learner's keep-best file is a complete text model too.
    /// </summary>
    public static ModelInfo Describe(TextClassifier classifier, TextEncoder encoder, IReadOnlyList<string> classes, Classification? task = null)
    {
        var extra = new Dictionary<string, string>(classifier.ToMetadata());
        foreach (var (key, value) in encoder.ToMetadata()) extra.Add(key, value);
        return ModelInfo.Describe(classifier, task ?? new Classification()) with { ClassNames = [.. classes], Extra = extra };
    }

    /// <summary>Writes the model to <paramref name="path"/> atomically.</summary>
    public void Save(string path) => SavedModel.Save(path, Classifier, Info);

    /// <summary>Whether the saved model at <paramref name="path"/> is a text model (reads only the file's header).</summary>
    /// <exception cref="WeightFileException">When the file is missing or not a safetensors file.</exception>
    public static bool IsTextModel(string path) =>
        SafeTensors.ReadHeader(path).Metadata.ContainsKey(TextClassifier.MetadataPrefix + "kind");

    /// <summary>Loads a text model saved by <see cref="Save"/> (or as the learner's keep-best file with
    /// <see cref="Describe"/>'s info). The classifier is on the CPU, in eval mode.</summary>
    /// <exception cref="WeightFileException">When the file is missing, damaged, not a Graft model, not a text model,
    /// or its text metadata is invalid (the message names the key).</exception>
    /// <exception cref="StateDictMismatchException">When the weights do not fit the architecture the metadata describes.</exception>
    public static TextModel Load(string path)
    {
        if (!IsTextModel(path))
            throw new WeightFileException(path,
                $"is not a text model: its metadata has no '{TextClassifier.MetadataPrefix}kind'. Image models load with SavedModel.Load.");
        try
        {
            var (model, info) = SavedModel.Load(path, info => TextClassifier.FromMetadata(info.Extra));
            var classifier = (TextClassifier)model;
            try
            {
                var task = info.Task as Classification
                    ?? throw new FormatException($"the model was trained for {info.Task.Kind}; text models classify");
                return new TextModel(classifier, TextEncoder.FromMetadata(info.Extra), info.ClassNames, task);
            }
            catch
            {
                classifier.Dispose();
                throw;
            }
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new WeightFileException(path, $"has invalid text-model metadata: {e.Message}", e);
        }
    }

    /// <summary>
    /// The <paramref name="topK"/> most probable classes of each text (fewer when the model has fewer classes), in
    /// inference mode; the classifier's train/eval flags are left as they were.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="topK"/> is less than 1.</exception>
    public IReadOnlyList<TextPrediction> Predict(IReadOnlyList<string> texts, int topK = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(topK, 1);
        int k = Math.Min(topK, Classes.Count);
        long[] indices = Encoder.EncodeAll(texts);
        float[] probabilities = Probabilities(indices, texts.Count);
        int classes = Classes.Count, length = Encoder.MaxLength;
        var predictions = new TextPrediction[texts.Count];
        for (int i = 0; i < texts.Count; i++)
        {
            var row = probabilities.AsSpan(i * classes, classes);
            var top = new ClassScore[k];
            var ranked = Enumerable.Range(0, classes).ToArray();
            float[] keys = row.ToArray();
            // Descending probability; equal probabilities keep class order.
            Array.Sort(ranked, (a, b) => keys[b] != keys[a] ? keys[b].CompareTo(keys[a]) : a.CompareTo(b));
            for (int j = 0; j < k; j++) top[j] = new ClassScore(Classes[ranked[j]], ranked[j], keys[ranked[j]]);
            var sequence = indices.AsSpan(i * length, length);
            int words = length - sequence.Count(Vocabulary.PaddingIndex);
            predictions[i] = new TextPrediction(texts[i], top, words, sequence.Count(Vocabulary.UnknownIndex));
        }
        return predictions;
    }

    /// <summary>Class probabilities <c>[texts.Count, classes]</c> (a new tensor owned by the caller).</summary>
    public Tensor PredictProbabilities(IReadOnlyList<string> texts) =>
        torch.tensor(Probabilities(Encoder.EncodeAll(texts), texts.Count), [texts.Count, Classes.Count], ScalarType.Float32);

    /// <summary>Disposes the classifier.</summary>
    public void Dispose() => Classifier.Dispose();

    private float[] Probabilities(long[] indices, int count)
    {
        int length = Encoder.MaxLength, classes = Classes.Count;
        var result = new float[(long)count * classes];
        var device = Classifier.parameters().First().device;
        using var mode = ModeScope.Eval(Classifier);
        using var noGrad = torch.no_grad();
        for (int start = 0; start < count; start += PredictBatchSize)
        {
            using var scope = torch.NewDisposeScope();
            int size = Math.Min(PredictBatchSize, count - start);
            var batch = torch.tensor(indices.AsSpan(start * length, size * length).ToArray(), [size, length], ScalarType.Int64).to(device);
            var probabilities = Classifier.call(batch).softmax(1).to(CPU).to_type(ScalarType.Float32);
            probabilities.data<float>().CopyTo(result.AsSpan(start * classes, size * classes));
        }
        return result;
    }
}
