namespace Graft.Data;

/// <summary>
/// Seeded ways to carve a source: a stratified train/validation split, a few-shot sample, a subset of classes.
/// All return <see cref="SourceView"/>s that keep the underlying order (shuffling is the loader's job) and are
/// identical for the same seed on any machine.
/// </summary>
public static class DatasetSplits
{
    /// <summary>
    /// Splits <paramref name="source"/> into training and validation parts. Classification sources are stratified:
    /// each class with at least 2 samples puts round(n × <paramref name="validationFraction"/>) of them (at least 1,
    /// at most n − 1) in validation, chosen by a seeded shuffle; a class with a single sample stays in training.
    /// Regression sources are split by one seeded shuffle.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">When the fraction is not strictly between 0 and 1.</exception>
    public static (SourceView Training, SourceView Validation) SplitTrainValidation(
        this IImageSource source, double validationFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!(validationFraction > 0 && validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "The validation fraction must be between 0 and 1 (exclusive).");
        var training = new List<int>();
        var validation = new List<int>();
        if (source.IsClassification())
        {
            List<int>[] byClass = IndicesByClass(source);
            for (int label = 0; label < byClass.Length; label++)
            {
                int[] members = byClass[label].ToArray();
                SeedMixer.Shuffle(members.AsSpan(), SeedMixer.Create(seed, 1, label));
                int held = members.Length < 2 ? 0
                    : Math.Clamp((int)Math.Round(members.Length * validationFraction, MidpointRounding.AwayFromZero), 1, members.Length - 1);
                validation.AddRange(members.AsSpan(0, held));
                training.AddRange(members.AsSpan(held));
            }
        }
        else
        {
            int[] all = Enumerable.Range(0, source.Count).ToArray();
            SeedMixer.Shuffle(all.AsSpan(), SeedMixer.Create(seed, 1));
            int held = (int)Math.Round(all.Length * validationFraction, MidpointRounding.AwayFromZero);
            validation.AddRange(all.AsSpan(0, held));
            training.AddRange(all.AsSpan(held));
        }
        training.Sort();
        validation.Sort();
        return (new SourceView(source, training.ToArray()), new SourceView(source, validation.ToArray()));
    }

    /// <summary>One side of <see cref="SplitTrainValidation"/>, in Keras' terms (<c>validation_split</c>, <c>subset</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">When the fraction is not strictly between 0 and 1.</exception>
    public static SourceView Subset(this IImageSource source, double validationSplit, DataSubset subset, int seed)
    {
        var (training, validation) = source.SplitTrainValidation(validationSplit, seed);
        return subset == DataSubset.Training ? training : validation;
    }

    /// <summary>Takes <paramref name="perClass"/> samples of every class, chosen by a seeded shuffle.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="perClass"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">When a class has fewer samples than asked for (named in the message), or the source is a regression source.</exception>
    public static SourceView FewShot(this IImageSource source, int perClass, int seed)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(perClass, 1);
        ImageSourceExtensions.RequireClassification(source, "take a few-shot sample");
        List<int>[] byClass = IndicesByClass(source);
        var chosen = new List<int>();
        for (int label = 0; label < byClass.Length; label++)
        {
            int[] members = byClass[label].ToArray();
            if (members.Length < perClass)
                throw new InvalidOperationException(
                    $"Class '{source.ClassNames[label]}' has {members.Length} sample(s); a {perClass}-shot sample needs {perClass} per class.");
            SeedMixer.Shuffle(members.AsSpan(), SeedMixer.Create(seed, 2, label));
            chosen.AddRange(members.AsSpan(0, perClass));
        }
        chosen.Sort();
        return new SourceView(source, chosen.ToArray());
    }

    /// <summary>
    /// Keeps only the samples of <paramref name="classes"/> and relabels them 0..k−1 in the order given
    /// (e.g. Fashion-MNIST classes 5..9 become a 5-class task whose class 0 is "Sandal").
    /// </summary>
    /// <exception cref="ArgumentException">When no class is given, a class is repeated or does not exist.</exception>
    /// <exception cref="InvalidOperationException">When the source is a regression source.</exception>
    public static SourceView SelectClasses(this IImageSource source, params int[] classes)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(classes);
        ImageSourceExtensions.RequireClassification(source, "select classes");
        if (classes.Length == 0) throw new ArgumentException("Select at least one class.", nameof(classes));
        int[] map = Enumerable.Repeat(-1, source.ClassNames.Count).ToArray();
        for (int k = 0; k < classes.Length; k++)
        {
            int c = classes[k];
            if ((uint)c >= (uint)map.Length)
                throw new ArgumentException($"Class {c} does not exist; the source has classes 0..{map.Length - 1}.", nameof(classes));
            if (map[c] >= 0) throw new ArgumentException($"Class {c} ('{source.ClassNames[c]}') is selected twice.", nameof(classes));
            map[c] = k;
        }
        var kept = new List<int>();
        for (int i = 0; i < source.Count; i++)
            if (map[source.GetLabel(i)] >= 0) kept.Add(i);
        string[] names = classes.Select(c => source.ClassNames[c]).ToArray();
        return new SourceView(source, kept.ToArray(), map, names);
    }

    /// <summary>Keeps only the classes named <paramref name="classNames"/>, relabelled 0..k−1 in the order given.</summary>
    /// <exception cref="ArgumentException">When a name is not one of the source's classes.</exception>
    public static SourceView SelectClasses(this IImageSource source, params string[] classNames)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(classNames);
        int[] classes = classNames.Select(name =>
        {
            int c = source.ClassNames.ToList().IndexOf(name);
            return c >= 0 ? c : throw new ArgumentException(
                $"No class named '{name}'; the classes are {string.Join(", ", source.ClassNames.Select(n => $"'{n}'"))}.", nameof(classNames));
        }).ToArray();
        return source.SelectClasses(classes);
    }

    private static List<int>[] IndicesByClass(IImageSource source)
    {
        var byClass = new List<int>[source.ClassNames.Count];
        for (int c = 0; c < byClass.Length; c++) byClass[c] = [];
        for (int i = 0; i < source.Count; i++) byClass[source.GetLabel(i)].Add(i);
        return byClass;
    }
}
