using System.Globalization;
using System.Text;

namespace Graft.Weights.Pickle;

/// <summary>
/// Python's "raw-unicode-escape" codec, which protocol-0 pickles use for str: bytes are Latin-1 characters,
/// except <c>\uXXXX</c> and <c>\UXXXXXXXX</c>, which are code points.
/// </summary>
internal static class RawUnicodeEscape
{
    /// <summary>Decodes text whose characters are the raw bytes (Latin-1).</summary>
    /// <exception cref="InvalidDataException">When an escape is malformed or names an invalid code point.</exception>
    public static string Decode(string latin1)
    {
        if (!latin1.Contains('\\')) return latin1;
        var text = new StringBuilder(latin1.Length);
        for (int i = 0; i < latin1.Length; i++)
        {
            char c = latin1[i];
            int digits = c == '\\' && i + 1 < latin1.Length ? latin1[i + 1] switch { 'u' => 4, 'U' => 8, _ => 0 } : 0;
            if (digits == 0)
            {
                text.Append(c);
                continue;
            }
            if (i + 2 + digits > latin1.Length
                || !int.TryParse(latin1.AsSpan(i + 2, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int codePoint)
                || codePoint is < 0 or > 0x10FFFF)
                throw new InvalidDataException("malformed \\u escape in a protocol-0 string.");
            if (codePoint is >= 0xD800 and <= 0xDFFF) text.Append((char)codePoint); // lone surrogates, as Python allows
            else text.Append(char.ConvertFromUtf32(codePoint));
            i += 1 + digits;
        }
        return text.ToString();
    }
}
