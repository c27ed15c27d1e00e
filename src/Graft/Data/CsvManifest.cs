using Graft.Data.Transforms;
using System.Globalization;

namespace Graft.Data;

/// <summary>
/// Images listed in a CSV file: <c>path,label</c> rows for classification or <c>path,value[,value…]</c> rows for
/// regression. Paths are relative to the CSV file's folder (absolute paths are kept). Fields may be quoted
/// (RFC 4180). Every listed file must exist when the manifest is opened, so a typo fails before training starts.
/// Classification labels are class names, sorted ordinally into indices; when every label is a non-negative integer
/// the integers are the indices and the names are "0", "1", … up to the largest.
/// </summary>
public sealed class CsvManifest : IRegionDecodingSource
{
    private readonly string[] _paths;
    private readonly int[] _labels;
    private readonly float[] _targets;

    private CsvManifest(string manifestPath, string[] paths, int[] labels, string[] classNames, float[] targets, int targetCount)
    {
        ManifestPath = manifestPath;
        _paths = paths;
        _labels = labels;
        _targets = targets;
        ClassNames = classNames;
        TargetCount = targetCount;
    }

    /// <summary>The CSV file (full path).</summary>
    public string ManifestPath { get; }

    /// <inheritdoc/>
    public int Count => _paths.Length;

    /// <inheritdoc/>
    public IReadOnlyList<string> ClassNames { get; }

    /// <inheritdoc/>
    public int TargetCount { get; }

    /// <summary>The full path of every sample, in row order.</summary>
    public IReadOnlyList<string> Paths => _paths;

    /// <summary>Opens a <c>path,label</c> manifest.</summary>
    /// <exception cref="FileNotFoundException">When the CSV file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// When the manifest has no rows, a row has the wrong number of fields or an empty label, or a listed image does
    /// not exist (the message names the CSV line).
    /// </exception>
    public static CsvManifest OpenClassification(string csvPath, CsvHeader header = CsvHeader.Auto)
    {
        var (full, rows) = ReadRows(csvPath, header);
        string[] paths = new string[rows.Count];
        string[] rawLabels = new string[rows.Count];
        for (int r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            if (row.Fields.Length != 2)
                throw new InvalidDataException(
                    $"{full} line {row.Line}: expected 2 fields (path,label), found {row.Fields.Length}.");
            paths[r] = ResolveExisting(full, row);
            rawLabels[r] = row.Fields[1].Trim();
            if (rawLabels[r].Length == 0)
                throw new InvalidDataException($"{full} line {row.Line}: the label is empty.");
        }
        var (labels, classNames) = IndexLabels(rawLabels);
        return new CsvManifest(full, paths, labels, classNames, [], 0);
    }

    /// <summary>Opens a <c>path,value[,value…]</c> manifest (every row must have the same number of values).</summary>
    /// <exception cref="FileNotFoundException">When the CSV file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// When the manifest has no rows, rows disagree on the number of values, a value is not a number, or a listed
    /// image does not exist (the message names the CSV line).
    /// </exception>
    public static CsvManifest OpenRegression(string csvPath, CsvHeader header = CsvHeader.Auto)
    {
        var (full, rows) = ReadRows(csvPath, header);
        int targetCount = rows[0].Fields.Length - 1;
        if (targetCount < 1)
            throw new InvalidDataException($"{full} line {rows[0].Line}: expected path,value[,value…], found 1 field.");
        string[] paths = new string[rows.Count];
        float[] targets = new float[rows.Count * targetCount];
        for (int r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            if (row.Fields.Length != targetCount + 1)
                throw new InvalidDataException(
                    $"{full} line {row.Line}: expected {targetCount + 1} fields (path and {targetCount} value(s), as on line {rows[0].Line}), found {row.Fields.Length}.");
            paths[r] = ResolveExisting(full, row);
            for (int k = 0; k < targetCount; k++)
            {
                string text = row.Fields[k + 1].Trim();
                if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
                    throw new InvalidDataException($"{full} line {row.Line}: value {k + 1} '{text}' is not a number.");
                targets[r * targetCount + k] = value;
            }
        }
        return new CsvManifest(full, paths, [], [], targets, targetCount);
    }

    /// <inheritdoc/>
    public int GetLabel(int index)
    {
        ImageSourceExtensions.RequireClassification(this, "read a class label");
        return _labels[index];
    }

    /// <inheritdoc/>
    public void GetTargets(int index, Span<float> destination)
    {
        if (TargetCount == 0) ImageSourceExtensions.RequireClassification(this, "read regression targets");
        _targets.AsSpan(index * TargetCount, TargetCount).CopyTo(destination);
    }

    /// <inheritdoc/>
    public string Describe(int index) => _paths[index];

    /// <inheritdoc/>
    public RawImage Load(int index, int minimumShorterSide) => ImageDecoder.DecodeFile(_paths[index], minimumShorterSide);

    /// <inheritdoc/>
    public (RawImage Image, RegionPlacement Placement) LoadRegion(int index, Func<int, int, RegionRequest> choose) =>
        ImageDecoder.DecodeFileRegion(_paths[index], choose);

    private static (string Full, List<CsvRecords.Record> Rows) ReadRows(string csvPath, CsvHeader header)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(csvPath);
        string full = Path.GetFullPath(csvPath);
        if (!File.Exists(full)) throw new FileNotFoundException($"CSV manifest '{full}' does not exist.", full);
        List<CsvRecords.Record> rows = CsvRecords.Parse(File.ReadAllText(full), full);
        if (rows.Count > 0 && IsHeader(full, rows[0], header)) rows.RemoveAt(0);
        if (rows.Count == 0) throw new InvalidDataException($"CSV manifest '{full}' lists no images.");
        return (full, rows);
    }

    private static bool IsHeader(string csv, CsvRecords.Record first, CsvHeader header) => header switch
    {
        CsvHeader.Present => true,
        CsvHeader.Absent => false,
        _ => !File.Exists(Resolve(csv, first.Fields[0])),
    };

    private static string Resolve(string csv, string field)
    {
        string path = field.Trim();
        return Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(Path.GetDirectoryName(csv)!, path));
    }

    private static string ResolveExisting(string csv, CsvRecords.Record row)
    {
        if (row.Fields[0].Trim().Length == 0) throw new InvalidDataException($"{csv} line {row.Line}: the path is empty.");
        string path = Resolve(csv, row.Fields[0]);
        if (!File.Exists(path))
            throw new InvalidDataException($"{csv} line {row.Line}: image '{row.Fields[0].Trim()}' does not exist (looked for '{path}').");
        return path;
    }

    private static (int[] Labels, string[] ClassNames) IndexLabels(string[] rawLabels)
    {
        int[] labels = new int[rawLabels.Length];
        bool allIntegers = true;
        for (int i = 0; i < rawLabels.Length && allIntegers; i++)
            allIntegers = int.TryParse(rawLabels[i], NumberStyles.None, CultureInfo.InvariantCulture, out labels[i]);
        if (allIntegers)
        {
            int classes = labels.Max() + 1;
            return (labels, Enumerable.Range(0, classes).Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray());
        }
        string[] names = rawLabels.Distinct().OrderBy(n => n, StringComparer.Ordinal).ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < names.Length; c++) index[names[c]] = c;
        for (int i = 0; i < rawLabels.Length; i++) labels[i] = index[rawLabels[i]];
        return (labels, names);
    }
}
