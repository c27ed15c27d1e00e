namespace Graft.Weights;

/// <summary>Recognises a weight file's format from its content, whatever its extension says.</summary>
public static class WeightFormatSniffer
{
    /// <summary>Reads the first bytes of <paramref name="path"/> and names its format.</summary>
    /// <exception cref="WeightFileException">When the file does not exist or cannot be read.</exception>
    public static WeightFormat Detect(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            Span<byte> head = stackalloc byte[9];
            int read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            return Detect(head[..read]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not WeightFileException)
        {
            throw new WeightFileException(path, $"cannot be read ({e.Message}).", e);
        }
    }

    /// <summary>Names the format of a file that starts with <paramref name="head"/>.</summary>
    public static WeightFormat Detect(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4)
            return WeightFormat.TorchZip;
        // safetensors: 8-byte length, then the JSON object. Only the brace is required here so that a file with a
        // corrupt length still reaches the safetensors reader, which says what is wrong with it.
        if (head.Length >= 9 && head[8] == (byte)'{')
            return WeightFormat.SafeTensors;
        // A pickle starts with PROTO (0x80) and a protocol number; the legacy torch format is a bare pickle.
        // (Checked after safetensors: a header length of 0x..0280 also starts with 0x80, 0x02.)
        if (head.Length >= 2 && head[0] == 0x80 && head[1] <= 5)
            return WeightFormat.TorchLegacy;
        return WeightFormat.Unknown;
    }
}
