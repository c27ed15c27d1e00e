namespace Graft.Training.Metrics;

/// <summary>Whether a metric improves by going down (losses and errors) or up (accuracies, F1, R²).</summary>
public static class MetricDirection
{
    private static readonly string[] Decreasing = ["loss", "mae", "rmse", "mse"];

    /// <summary>True for a loss or error (<c>val_loss</c>, <c>mae</c>), false for a score.</summary>
    public static bool LowerIsBetter(string name)
    {
        string bare = name.StartsWith("val_", StringComparison.Ordinal) ? name[4..] : name;
        return Decreasing.Contains(bare);
    }
}
