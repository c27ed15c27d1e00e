namespace Graft.Data;

/// <summary>Whether the first row of a CSV manifest is a header.</summary>
public enum CsvHeader
{
    /// <summary>
    /// A header when the first row's path field does not name an existing file (a data row naming a missing file
    /// would be an error anyway, so this only misreads a header whose first cell happens to be a file's name).
    /// </summary>
    Auto,

    /// <summary>The first row is a header and is skipped.</summary>
    Present,

    /// <summary>Every row is data.</summary>
    Absent,
}
