using System.Numerics;

namespace Graft.Weights.Pickle;

/// <summary>
/// A Python dict (or <c>collections.OrderedDict</c>) read from a pickle: entries in insertion order, plus the
/// instance attributes a pickle may set with BUILD (torch stores a state dict's <c>_metadata</c> there).
/// </summary>
public sealed class PickleDict : IPickleBuildable
{
    private static readonly object NoneKey = new();
    private readonly List<KeyValuePair<object?, object?>> _entries = [];
    private readonly Dictionary<object, int> _index = new(KeyComparer.Instance);

    /// <summary>The entries, in insertion order.</summary>
    public IReadOnlyList<KeyValuePair<object?, object?>> Entries => _entries;

    /// <summary>Attributes set on the object itself (not entries), e.g. <c>_metadata</c>.</summary>
    public Dictionary<string, object?> Attributes { get; } = new(StringComparer.Ordinal);

    /// <summary>The number of entries.</summary>
    public int Count => _entries.Count;

    /// <summary>Sets an entry, keeping the original position when the key exists.</summary>
    public void Set(object? key, object? value)
    {
        object indexKey = key ?? NoneKey;
        if (_index.TryGetValue(indexKey, out int position))
        {
            _entries[position] = new KeyValuePair<object?, object?>(key, value);
        }
        else
        {
            _index.Add(indexKey, _entries.Count);
            _entries.Add(new KeyValuePair<object?, object?>(key, value));
        }
    }

    /// <summary>Looks an entry up by key.</summary>
    public bool TryGetValue(object? key, out object? value)
    {
        if (_index.TryGetValue(key ?? NoneKey, out int position))
        {
            value = _entries[position].Value;
            return true;
        }
        value = null;
        return false;
    }

    void IPickleBuildable.Build(object? state)
    {
        if (state is null) return;
        if (state is not PickleDict attributes)
            throw new InvalidDataException($"a dict's state must be a dict of attributes, not {PickleValues.Describe(state)}.");
        foreach (var (key, value) in attributes.Entries)
        {
            if (key is not string name) throw new InvalidDataException($"a dict attribute name must be a string, not {PickleValues.Describe(key)}.");
            Attributes[name] = value;
        }
    }

    /// <summary>Python key equality for the key types pickles hold: tuples compare by content, and 1 == 1.0 == True.</summary>
    private sealed class KeyComparer : IEqualityComparer<object>
    {
        public static readonly KeyComparer Instance = new();

        public new bool Equals(object? x, object? y)
        {
            if (x is object?[] a && y is object?[] b)
                return a.Length == b.Length && a.Zip(b).All(p => Equals(p.First ?? NoneKey, p.Second ?? NoneKey));
            if (x is long lx && y is long ly) return lx == ly;
            if (AsNumber(x) is { } nx && AsNumber(y) is { } ny) return nx == ny;
            return object.Equals(x, y);
        }

        public int GetHashCode(object obj)
        {
            if (obj is object?[] tuple)
            {
                var hash = new HashCode();
                foreach (object? item in tuple) hash.Add(GetHashCode(item ?? NoneKey));
                return hash.ToHashCode();
            }
            return AsNumber(obj) is { } number ? number.GetHashCode() : obj.GetHashCode();
        }

        private static double? AsNumber(object? value) => value switch
        {
            long l => l,
            bool b => b ? 1 : 0,
            double d => d,
            BigInteger big => (double)big,
            _ => null,
        };
    }
}
