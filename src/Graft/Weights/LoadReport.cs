using System.Text;

namespace Graft.Weights;

/// <summary>The outcome of loading a state dict into a module.</summary>
/// <param name="Loaded">Model keys that received a tensor.</param>
/// <param name="Missing">Model keys the file did not provide.</param>
/// <param name="Unexpected">File keys (after remapping) the model does not have.</param>
/// <param name="ShapeMismatches">Keys present on both sides with different shapes (not loaded).</param>
public sealed record LoadReport(
    IReadOnlyList<string> Loaded,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<ShapeMismatch> ShapeMismatches)
{
    /// <summary>True when every model key was loaded and the file had nothing else.</summary>
    public bool IsExact => Missing.Count == 0 && Unexpected.Count == 0 && ShapeMismatches.Count == 0;

    /// <summary>A readable summary listing every problem key.</summary>
    public override string ToString()
    {
        var text = new StringBuilder($"loaded {Loaded.Count} tensors");
        AppendList(text, "missing from the file", Missing);
        AppendList(text, "unexpected (not in the model)", Unexpected);
        AppendList(text, "shape mismatch", ShapeMismatches.Select(m => m.ToString()).ToList());
        return text.ToString();
    }

    private static void AppendList(StringBuilder text, string title, IReadOnlyList<string> items)
    {
        if (items.Count == 0) return;
        text.Append($"\n{items.Count} {title}:");
        foreach (string item in items) text.Append("\n  ").Append(item);
    }
}
