namespace Graft.Data;

/// <summary>
/// Derives independent random seeds from a user seed and a few coordinates (epoch, sample index, class …) with the
/// SplitMix64 finaliser, so every random decision depends only on what it is about, never on thread timing.
/// </summary>
internal static class SeedMixer
{
    public static int Derive(long seed, long a, long b = 0, long c = 0)
    {
        ulong h = Mix((ulong)seed ^ 0x9E3779B97F4A7C15UL);
        h = Mix(h ^ (ulong)a);
        h = Mix(h ^ (ulong)b);
        h = Mix(h ^ (ulong)c);
        return (int)(h >> 33);
    }

    /// <summary>A <see cref="Random"/> seeded from the coordinates (its sequence is stable across .NET versions).</summary>
    public static Random Create(long seed, long a, long b = 0, long c = 0) => new(Derive(seed, a, b, c));

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public static void Shuffle<T>(Span<T> items, Random random)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
