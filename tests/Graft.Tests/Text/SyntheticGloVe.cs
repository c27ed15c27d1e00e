using System.Text;

namespace Graft.Tests.Text;

/// <summary>
/// Writes a deterministic GloVe-format file shaped like the published ones (<c>word v1 … vd</c>, values with five
/// decimals in (-1, 1)), straight as bytes so hundreds of megabytes take about a second.
/// </summary>
internal static class SyntheticGloVe
{
    public static string Word(int row) => $"w{row}x";

    /// <summary>The integer k of value k / 100000 at (row, column): a SplitMix64 hash, so any cell can be recomputed.</summary>
    public static int Cell(int row, int column)
    {
        ulong z = (ulong)row * 1_000_003UL + (ulong)column + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z % 199_999) - 99_999;
    }

    /// <summary>The value's text as written in the file, e.g. <c>-0.04213</c>.</summary>
    public static string ValueText(int row, int column)
    {
        int k = Cell(row, column);
        return $"{(k < 0 ? "-" : "")}0.{Math.Abs(k):D5}";
    }

    /// <summary>Writes the file; returns its size in bytes.</summary>
    public static long Write(string path, int rows, int dimension)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        var line = new byte[64 + dimension * 9];
        for (int row = 0; row < rows; row++)
        {
            int at = Encoding.ASCII.GetBytes(Word(row), line);
            for (int c = 0; c < dimension; c++)
            {
                int k = Cell(row, c);
                line[at++] = (byte)' ';
                if (k < 0)
                {
                    line[at++] = (byte)'-';
                    k = -k;
                }
                line[at++] = (byte)'0';
                line[at++] = (byte)'.';
                for (int divisor = 10_000; divisor > 0; divisor /= 10)
                {
                    line[at++] = (byte)('0' + k / divisor % 10);
                }
            }
            line[at++] = (byte)'\n';
            file.Write(line, 0, at);
        }
        return file.Length;
    }
}
