using System.Globalization;

namespace Graft.Text;

/// <summary>
/// Parses a float written in decimal ASCII, as word-vector files write them, several times faster than
/// <c>float.Parse</c> and always to the same value: short decimals (at most 2^24 as an integer mantissa, a power
/// of ten within ±10) take Clinger's exact fast path, where mantissa and power of ten are both exact floats so
/// one IEEE division or multiplication rounds correctly; everything else goes to <c>float.TryParse</c>
/// (invariant culture).
/// </summary>
internal static class FloatText
{
    private static readonly float[] PowersOfTen = [1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f];

    /// <summary>Parses all of <paramref name="text"/>; false when it is not a number.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out float value)
    {
        if (TryParseShortDecimal(text, out value)) return true;
        return float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static bool TryParseShortDecimal(ReadOnlySpan<byte> text, out float value)
    {
        value = 0;
        int i = 0;
        bool negative = false;
        if (i < text.Length && (text[i] == (byte)'-' || text[i] == (byte)'+'))
        {
            negative = text[i] == (byte)'-';
            i++;
        }
        ulong mantissa = 0;
        int digits = 0, fractionDigits = 0;
        for (; i < text.Length && (uint)(text[i] - '0') <= 9; i++, digits++)
            mantissa = mantissa * 10 + (uint)(text[i] - '0');
        if (i < text.Length && text[i] == (byte)'.')
        {
            for (i++; i < text.Length && (uint)(text[i] - '0') <= 9; i++, digits++, fractionDigits++)
                mantissa = mantissa * 10 + (uint)(text[i] - '0');
        }
        if (digits == 0 || digits > 18) return false; // 18 digits cannot overflow a ulong
        int exponent = 0;
        if (i < text.Length && (text[i] | 0x20) == (byte)'e')
        {
            i++;
            bool negativeExponent = false;
            if (i < text.Length && (text[i] == (byte)'-' || text[i] == (byte)'+'))
            {
                negativeExponent = text[i] == (byte)'-';
                i++;
            }
            int exponentDigits = 0;
            for (; i < text.Length && (uint)(text[i] - '0') <= 9; i++, exponentDigits++)
            {
                if (exponentDigits == 4) return false;
                exponent = exponent * 10 + (text[i] - '0');
            }
            if (exponentDigits == 0) return false;
            if (negativeExponent) exponent = -exponent;
        }
        if (i != text.Length || mantissa > 1 << 24) return false;
        int power = exponent - fractionDigits;
        float result;
        if (mantissa == 0) result = 0f;
        else if (power is < -10 or > 10) return false;
        else result = power < 0 ? mantissa / PowersOfTen[-power] : mantissa * PowersOfTen[power];
        value = negative ? -result : result;
        return true;
    }
}
