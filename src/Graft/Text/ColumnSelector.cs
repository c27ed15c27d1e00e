using System.Globalization;

namespace Graft.Text;

/// <summary>A CSV column chosen by header name or by 0-based index; converts implicitly from a string or an int.</summary>
public readonly record struct ColumnSelector
{
    private ColumnSelector(string? name, int index)
    {
        Name = name;
        Index = index;
    }

    /// <summary>The header name, or null when chosen by index.</summary>
    public string? Name { get; }

    /// <summary>The 0-based index, or -1 when chosen by name.</summary>
    public int Index { get; }

    /// <summary>The column whose header is <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">When the name is empty.</exception>
    public static ColumnSelector ByName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new ColumnSelector(name, -1);
    }

    /// <summary>The column at 0-based <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When the index is negative.</exception>
    public static ColumnSelector ByIndex(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return new ColumnSelector(null, index);
    }

    /// <summary>Selects by header name.</summary>
    public static implicit operator ColumnSelector(string name) => ByName(name);

    /// <summary>Selects by 0-based index.</summary>
    public static implicit operator ColumnSelector(int index) => ByIndex(index);

    /// <inheritdoc/>
    public override string ToString() => Name is not null ? $"'{Name}'" : $"#{Index.ToString(CultureInfo.InvariantCulture)} (0-based)";
}
