using Graft.Data.Transforms;

namespace Graft.Data;

/// <summary>
/// A view of another source: a chosen list of its samples, optionally with labels remapped (used by splits,
/// few-shot samples and class subsets). Pixels and targets come from the underlying source.
/// </summary>
public sealed class SourceView : IRegionDecodingSource
{
    private readonly int[] _indices;
    private readonly int[]? _labelMap;

    /// <summary>Creates a view of <paramref name="source"/>'s samples <paramref name="indices"/>.</summary>
    /// <param name="source">The underlying source.</param>
    /// <param name="indices">Which samples, in the view's order (not copied).</param>
    /// <param name="labelMap">When given, the view's label of a sample is <c>labelMap[source label]</c>.</param>
    /// <param name="classNames">The view's class names (default: the source's).</param>
    /// <exception cref="ArgumentOutOfRangeException">When an index is outside the source.</exception>
    public SourceView(IImageSource source, int[] indices, int[]? labelMap = null, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(indices);
        foreach (int i in indices)
            if ((uint)i >= (uint)source.Count)
                throw new ArgumentOutOfRangeException(nameof(indices), i, $"Sample index outside the source's {source.Count} samples.");
        Source = source;
        _indices = indices;
        _labelMap = labelMap;
        ClassNames = classNames ?? source.ClassNames;
    }

    /// <summary>The underlying source.</summary>
    public IImageSource Source { get; }

    /// <summary>The underlying source's index of each sample of this view.</summary>
    public IReadOnlyList<int> SourceIndices => _indices;

    /// <inheritdoc/>
    public int Count => _indices.Length;

    /// <inheritdoc/>
    public IReadOnlyList<string> ClassNames { get; }

    /// <inheritdoc/>
    public int TargetCount => Source.TargetCount;

    /// <inheritdoc/>
    public int GetLabel(int index)
    {
        int label = Source.GetLabel(_indices[index]);
        return _labelMap is null ? label : _labelMap[label];
    }

    /// <inheritdoc/>
    public void GetTargets(int index, Span<float> destination) => Source.GetTargets(_indices[index], destination);

    /// <inheritdoc/>
    public string Describe(int index) => Source.Describe(_indices[index]);

    /// <inheritdoc/>
    public RawImage Load(int index, int minimumShorterSide) => Source.Load(_indices[index], minimumShorterSide);

    /// <inheritdoc/>
    public (RawImage Image, RegionPlacement Placement) LoadRegion(int index, Func<int, int, RegionRequest> choose) =>
        Source.LoadRegion(_indices[index], choose);
}
