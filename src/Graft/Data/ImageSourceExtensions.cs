namespace Graft.Data;

/// <summary>Small queries every <see cref="IImageSource"/> answers the same way.</summary>
public static class ImageSourceExtensions
{
    /// <summary>Whether the source holds class labels (as opposed to regression targets).</summary>
    public static bool IsClassification(this IImageSource source) => source.TargetCount == 0;

    /// <summary>Number of samples per class, indexed by label.</summary>
    /// <exception cref="InvalidOperationException">When the source is a regression source.</exception>
    public static int[] CountPerClass(this IImageSource source)
    {
        RequireClassification(source, "count samples per class");
        int[] counts = new int[source.ClassNames.Count];
        for (int i = 0; i < source.Count; i++) counts[source.GetLabel(i)]++;
        return counts;
    }

    /// <summary>All labels, in sample order.</summary>
    /// <exception cref="InvalidOperationException">When the source is a regression source.</exception>
    public static int[] Labels(this IImageSource source)
    {
        RequireClassification(source, "list labels");
        int[] labels = new int[source.Count];
        for (int i = 0; i < labels.Length; i++) labels[i] = source.GetLabel(i);
        return labels;
    }

    internal static void RequireClassification(IImageSource source, string operation)
    {
        if (!source.IsClassification())
            throw new InvalidOperationException(
                $"Cannot {operation}: the source has {source.TargetCount} regression target(s) per sample, not class labels.");
    }
}
