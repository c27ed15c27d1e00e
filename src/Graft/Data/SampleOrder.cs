namespace Graft.Data;

/// <summary>
/// Deterministic per-epoch sample orders: the same (seed, epoch) gives the same permutation on every machine and
/// .NET version, because the generator is spelled out here (SplitMix64 and a Fisher–Yates shuffle) rather than
/// borrowed from <see cref="Random"/>, whose algorithm is not a documented contract.
/// </summary>
public static class SampleOrder
{
    /// <summary>0, 1, …, count-1.</summary>
    public static int[] Sequential(int count) => Enumerable.Range(0, count).ToArray();

    /// <summary>A permutation of 0…count-1 that depends only on <paramref name="seed"/> and <paramref name="epoch"/>.</summary>
    public static int[] Shuffled(long seed, int epoch, int count)
    {
        var order = Sequential(count);
        ulong state = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)(epoch + 1) * 0xD1B54A32D192ED03UL);
        for (int i = count - 1; i > 0; i--)
        {
            int j = (int)(Next(ref state) % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    private static ulong Next(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
