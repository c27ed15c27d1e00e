using System.IO.Compression;

namespace Graft.Text;

/// <summary>
/// Buffered forward-only reading of a possibly gzipped file as bytes: lines, delimited fields and fixed-size records
/// are returned as spans into one reused buffer (valid until the next call), so parsing a multi-gigabyte file
/// allocates nothing per line. Also reports how far through the file it is, for sizing buffers up front.
/// </summary>
internal sealed class ByteSource : IDisposable
{
    private const int InitialBufferSize = 1 << 20;
    private const int MaxBufferSize = 1 << 28;

    private readonly FileStream _file;
    private readonly Stream _stream;
    private byte[] _buffer = new byte[InitialBufferSize];
    private int _start;
    private int _end;
    private int _scanned;      // bytes from _start already searched for the pending delimiter
    private long _base;        // bytes consumed before _buffer[0]
    private long _decompressedRead;
    private bool _eof;

    private ByteSource(FileStream file, bool gzip)
    {
        _file = file;
        IsGzip = gzip;
        _stream = gzip ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: true) : file;
    }

    /// <summary>Opens <paramref name="path"/>, unwrapping gzip when the file starts with the gzip magic bytes 1f 8b.</summary>
    /// <exception cref="FileNotFoundException">When the file does not exist.</exception>
    public static ByteSource Open(string path)
    {
        // bufferSize 1: no FileStream buffer, our own buffer is large; keeps Position equal to bytes handed out.
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        try
        {
            Span<byte> magic = stackalloc byte[2];
            int n = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
            file.Position = 0;
            return new ByteSource(file, n == 2 && magic[0] == 0x1f && magic[1] == 0x8b);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>True when the file is gzip-compressed.</summary>
    public bool IsGzip { get; }

    /// <summary>Bytes (after decompression) handed out so far.</summary>
    public long Consumed => _base + _start;

    /// <summary>
    /// Estimated share of the file consumed so far, in (0, 1]: exact for plain files; for gzip, the compressed
    /// bytes read scaled by the compression ratio seen so far (bytes buffered but not yet handed out excluded).
    /// </summary>
    public double FractionConsumed
    {
        get
        {
            long length = _file.Length;
            if (length == 0 || _decompressedRead == 0) return 1.0;
            double compressedPerByte = (double)_file.Position / _decompressedRead;
            return Math.Clamp(Consumed * compressedPerByte / length, 1e-12, 1.0);
        }
    }

    /// <summary>Returns at least <paramref name="count"/> unconsumed bytes without consuming them (fewer at end of file).</summary>
    public ReadOnlySpan<byte> Peek(int count)
    {
        while (_end - _start < count && Fill(count)) { }
        return _buffer.AsSpan(_start, _end - _start);
    }

    /// <summary>
    /// The next line without its <c>\n</c> (and a trailing <c>\r</c>); false at end of file. The last line needs no
    /// terminator. Lines longer than <see cref="MaxBufferSize"/> bytes throw.
    /// </summary>
    /// <exception cref="InvalidDataException">When a line exceeds the buffer limit.</exception>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        if (!TryReadUntil((byte)'\n', out line, allowEndOfFile: true)) return false;
        if (!line.IsEmpty && line[^1] == (byte)'\r') line = line[..^1];
        return true;
    }

    /// <summary>
    /// The bytes up to (not including) <paramref name="delimiter"/>, consuming the delimiter. At end of file,
    /// returns the remaining bytes when <paramref name="allowEndOfFile"/>, else false (with the partial bytes
    /// left unconsumed). False when nothing is left.
    /// </summary>
    /// <exception cref="InvalidDataException">When no delimiter occurs within the buffer limit.</exception>
    public bool TryReadUntil(byte delimiter, out ReadOnlySpan<byte> field, bool allowEndOfFile)
    {
        _scanned = 0;
        while (true)
        {
            int found = _buffer.AsSpan(_start + _scanned, _end - _start - _scanned).IndexOf(delimiter);
            if (found >= 0)
            {
                int at = _start + _scanned + found;
                field = _buffer.AsSpan(_start, at - _start);
                _start = at + 1;
                return true;
            }
            _scanned = _end - _start;
            if (!Fill(_end - _start + 1))
            {
                field = _buffer.AsSpan(_start, _end - _start);
                if (field.IsEmpty || !allowEndOfFile) return false;
                _start = _end;
                return true;
            }
        }
    }

    /// <summary>Exactly <paramref name="count"/> bytes, consumed; false (nothing consumed) when the file ends first.</summary>
    public bool TryReadExactly(int count, out ReadOnlySpan<byte> bytes)
    {
        while (_end - _start < count)
        {
            if (!Fill(count))
            {
                bytes = default;
                return false;
            }
        }
        bytes = _buffer.AsSpan(_start, count);
        _start += count;
        return true;
    }

    /// <summary>Consumes a UTF-8 byte-order mark (EF BB BF) if the unconsumed bytes start with one.</summary>
    public void SkipByteOrderMark()
    {
        if (Peek(3).StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) _start += 3;
    }

    /// <summary>Consumes bytes while they equal <paramref name="value"/>.</summary>
    public void Skip(byte value)
    {
        while (true)
        {
            while (_start < _end && _buffer[_start] == value) _start++;
            if (_start < _end || !Fill(1)) return;
        }
    }

    /// <summary>Reads more so that at least <paramref name="wanted"/> unconsumed bytes can be held; false at end of file.</summary>
    private bool Fill(int wanted)
    {
        if (_eof) return false;
        if (_start > 0)
        {
            int pending = _end - _start;
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
            _base += _start;
            _start = 0;
            _end = pending;
        }
        if (wanted > _buffer.Length || _end == _buffer.Length)
        {
            int size = Math.Max(wanted, _buffer.Length * 2);
            if (size > MaxBufferSize)
                throw new InvalidDataException(
                    $"a single line or record is longer than {MaxBufferSize >> 20} MB at byte {Consumed}; this is not a word-vectors file in the expected format");
            Array.Resize(ref _buffer, size);
        }
        int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
            return false;
        }
        _end += read;
        _decompressedRead += read;
        return true;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!ReferenceEquals(_stream, _file)) _stream.Dispose();
        _file.Dispose();
    }
}
