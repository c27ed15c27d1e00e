namespace Graft.Text;

/// <summary>
/// Texts with class labels: <see cref="Labels"/>[i] indexes <see cref="Classes"/> (class names sorted ordinally
/// unless given). Read one from CSV/TSV with <see cref="TextCsvReader"/>; split it with
/// <see cref="StratifiedSplit"/>; turn it into model input with <see cref="Encode"/>.
/// </summary>
public sealed class LabeledTexts
{
    /// <summary>Creates the set.</summary>
    /// <exception cref="ArgumentException">When the counts differ or a label is outside the classes.</exception>
    public LabeledTexts(IReadOnlyList<string> texts, IReadOnlyList<int> labels, IReadOnlyList<string> classes)
    {
        if (texts.Count != labels.Count)
            throw new ArgumentException($"{texts.Count} texts but {labels.Count} labels", nameof(labels));
        for (int i = 0; i < labels.Count; i++)
            if (labels[i] < 0 || labels[i] >= classes.Count)
                throw new ArgumentException($"label {labels[i]} of text {i} is outside the {classes.Count} classes", nameof(labels));
        Texts = texts;
        Labels = labels;
        Classes = classes;
    }

    /// <summary>The texts.</summary>
    public IReadOnlyList<string> Texts { get; }

    /// <summary>Each text's class index.</summary>
    public IReadOnlyList<int> Labels { get; }

    /// <summary>Class names by index.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Number of texts.</summary>
    public int Count => Texts.Count;

    /// <summary>Texts per class, by class index.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[Classes.Count];
        foreach (int label in Labels) counts[label]++;
        return counts;
    }

    /// <summary>The texts at <paramref name="indices"/>, in that order, with the same classes.</summary>
    public LabeledTexts Subset(IEnumerable<int> indices)
    {
        int[] chosen = [.. indices];
        return new LabeledTexts(chosen.Select(i => Texts[i]).ToArray(), chosen.Select(i => Labels[i]).ToArray(), Classes);
    }

    /// <summary>
    /// Splits into training and validation sets with the same class proportions: per class, the texts are
    /// shuffled with <paramref name="seed"/> and round(<paramref name="validationFraction"/> × count) go to
    /// validation, never all of a class (a class of one text stays in training). Both parts keep file order.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">When the fraction is outside [0, 1).</exception>
    public (LabeledTexts Train, LabeledTexts Validation) StratifiedSplit(double validationFraction, int seed)
    {
        if (!(validationFraction >= 0 && validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "The validation fraction must be in [0, 1).");
        var random = new Random(seed);
        var train = new List<int>();
        var validation = new List<int>();
        for (int label = 0; label < Classes.Count; label++)
        {
            int[] members = Enumerable.Range(0, Count).Where(i => Labels[i] == label).ToArray();
            random.Shuffle(members);
            int toValidation = (int)Math.Round(validationFraction * members.Length, MidpointRounding.AwayFromZero);
            toValidation = Math.Min(toValidation, Math.Max(0, members.Length - 1));
            validation.AddRange(members.Take(toValidation));
            train.AddRange(members.Skip(toValidation));
        }
        train.Sort();
        validation.Sort();
        return (Subset(train), Subset(validation));
    }

    /// <summary>The texts as index sequences with <paramref name="encoder"/>, and the labels, ready for batching.</summary>
    public EncodedTexts Encode(TextEncoder encoder) =>
        new(encoder.EncodeAll(Texts), Labels.Select(l => (long)l).ToArray(), encoder.MaxLength);
}
