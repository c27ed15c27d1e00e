using System.Text;
using Graft.Text;

namespace Graft.Tests.Text;

public class WordVectorReaderTests
{
    private static readonly string[] Words = ["the", "café", "東京", "don't"];

    private static float Value(int row, int column) => (row + 1) * 0.25f - column * 0.125f;

    private static string TextLines(int dimension, string trailing = "")
    {
        var text = new StringBuilder();
        for (int row = 0; row < Words.Length; row++)
        {
            text.Append(Words[row]);
            for (int c = 0; c < dimension; c++) text.Append(' ').Append(Value(row, c).ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            text.Append(trailing).Append('\n');
        }
        return text.ToString();
    }

    private static byte[] Binary(int dimension, bool newlineAfterVector, string header = "")
    {
        var bytes = new MemoryStream();
        bytes.Write(Encoding.ASCII.GetBytes(header.Length > 0 ? header : $"{Words.Length} {dimension}\n"));
        for (int row = 0; row < Words.Length; row++)
        {
            bytes.Write(Encoding.UTF8.GetBytes(Words[row] + " "));
            for (int c = 0; c < dimension; c++) bytes.Write(BitConverter.GetBytes(Value(row, c)));
            if (newlineAfterVector) bytes.WriteByte((byte)'\n');
        }
        return bytes.ToArray();
    }

    private static void AssertHoldsAllWords(WordVectors vectors, int dimension)
    {
        Assert.Equal(Words, vectors.Words);
        Assert.Equal(dimension, vectors.Dimension);
        for (int row = 0; row < Words.Length; row++)
        {
            Assert.Equal(row, vectors.IndexOf(Words[row]));
            for (int c = 0; c < dimension; c++) Assert.Equal(Value(row, c), vectors[row][c]);
        }
        Assert.Empty(vectors.Warnings);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsGloVeText(bool gzip)
    {
        using var folder = new TempFolder();
        string path = folder.Write("glove.txt", TextLines(3), gzip);
        Assert.Equal(WordVectorFormat.GloVeText, WordVectorReader.DetectFormat(path));
        var vectors = WordVectors.Load(path);
        Assert.Equal(WordVectorFormat.GloVeText, vectors.Format);
        AssertHoldsAllWords(vectors, 3);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsWord2VecText(bool gzip)
    {
        using var folder = new TempFolder();
        string path = folder.Write("w2v.txt", $"{Words.Length} 3\n" + TextLines(3).Replace("\n", "\r\n"), gzip);
        Assert.Equal(WordVectorFormat.Word2VecText, WordVectorReader.DetectFormat(path));
        var vectors = WordVectors.Load(path);
        Assert.Equal(WordVectorFormat.Word2VecText, vectors.Format);
        AssertHoldsAllWords(vectors, 3);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsFastTextVecWithTrailingSpaces(bool gzip)
    {
        // fastText writes each value followed by a space, so every line ends in " \n".
        using var folder = new TempFolder();
        string path = folder.Write("wiki.vec", $"{Words.Length} 5\n" + TextLines(5, trailing: " "), gzip);
        var vectors = WordVectors.Load(path);
        Assert.Equal(WordVectorFormat.Word2VecText, vectors.Format);
        AssertHoldsAllWords(vectors, 5);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(true, false)]
    public void ReadsWord2VecBinary(bool gzip, bool newlineAfterVector)
    {
        using var folder = new TempFolder();
        string path = folder.Write("w2v.bin", Binary(4, newlineAfterVector), gzip);
        Assert.Equal(WordVectorFormat.Word2VecBinary, WordVectorReader.DetectFormat(path));
        var vectors = WordVectors.Load(path);
        Assert.Equal(WordVectorFormat.Word2VecBinary, vectors.Format);
        AssertHoldsAllWords(vectors, 4);
    }

    [Fact]
    public void ExplicitFormatOverridesDetection()
    {
        // A one-dimensional GloVe file whose first line is two integers looks like a word2vec header.
        using var folder = new TempFolder();
        string path = folder.Write("tiny.txt", "7 5\neight 8\n");
        Assert.Equal(WordVectorFormat.Word2VecText, WordVectorReader.DetectFormat(path));
        var vectors = WordVectors.Load(path, new WordVectorReadOptions { Format = WordVectorFormat.GloVeText });
        Assert.Equal(["7", "eight"], vectors.Words);
        Assert.Equal([5f, 8f], vectors.Values.ToArray());
    }

    [Fact]
    public void IgnoresAByteOrderMark()
    {
        using var folder = new TempFolder();
        string path = folder.Write("bom.txt", "\uFEFF" + $"{Words.Length} 3\n" + TextLines(3));
        AssertHoldsAllWords(WordVectors.Load(path), 3);
    }

    [Fact]
    public void ParsesNumbersInvariantlyWithExponents()
    {
        using var folder = new TempFolder();
        string path = folder.Write("glove.txt", "x 1e-05 -2.5E+02 0.1 .5 -0\n");
        var vectors = WordVectors.Load(path);
        Assert.Equal([1e-05f, -250f, 0.1f, 0.5f, -0f], vectors[0].ToArray());
    }

    [Fact]
    public void DuplicateWordWarnsWithLineAndKeepsFirst()
    {
        using var folder = new TempFolder();
        string path = folder.Write("dup.txt", "a 1 2\nb 3 4\na 5 6\n");
        var vectors = WordVectors.Load(path);
        Assert.Equal(["a", "b"], vectors.Words);
        Assert.Equal([1f, 2f], vectors[0].ToArray());
        string warning = Assert.Single(vectors.Warnings);
        Assert.Contains("line 3", warning);
        Assert.Contains("duplicate word 'a'", warning);
        Assert.Contains("keeping its first", warning);
    }

    [Theory]
    [InlineData("a 1 2 3\nb 4 5 6\nc 7 8\n", 3, 3, 2)]
    [InlineData("a 1 2 3\nb 4 5 6\nc 7 8 9 10\n", 3, 3, 4)]
    [InlineData("2 3\na 1 2 3\nb 4 5\n", 3, 3, 2)]
    public void WrongDimensionNamesLineExpectedAndFound(string content, int line, int expected, int found)
    {
        using var folder = new TempFolder();
        string path = folder.Write("bad.txt", content);
        var error = Assert.Throws<WordVectorsFormatException>(() => WordVectors.Load(path));
        Assert.Equal(line, error.Line);
        Assert.Contains($"line {line}:", error.Message);
        Assert.Contains($"expected {expected} values", error.Message);
        Assert.Contains($"found {found}", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void WrongDimensionIsCaughtOnWordsNotKept()
    {
        using var folder = new TempFolder();
        string path = folder.Write("bad.txt", "a 1 2\nb 3\nc 4 5\n");
        var error = Assert.Throws<WordVectorsFormatException>(() =>
            WordVectors.Load(path, new WordVectorReadOptions { Keep = ["a", "c"] }));
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void SkipMalformedLinesTurnsErrorsIntoWarnings()
    {
        using var folder = new TempFolder();
        string path = folder.Write("bad.txt", "a 1 2\nb 3\nc 4 x\nd 6 7\n");
        var vectors = WordVectors.Load(path, new WordVectorReadOptions { SkipMalformedLines = true });
        Assert.Equal(["a", "d"], vectors.Words);
        Assert.Equal([1f, 2f, 6f, 7f], vectors.Values.ToArray());
        Assert.Equal(2, vectors.Warnings.Count);
        Assert.Contains("line 2", vectors.Warnings[0]);
        Assert.Contains("line 3", vectors.Warnings[1]);
        Assert.Contains("'x' is not a number", vectors.Warnings[1]);
    }

    [Fact]
    public void ValueThatIsNotANumberIsAnErrorNamingLineAndValue()
    {
        using var folder = new TempFolder();
        string path = folder.Write("bad.txt", "a 1 2\nb 3 4,5\n");
        var error = Assert.Throws<WordVectorsFormatException>(() => WordVectors.Load(path));
        Assert.Equal(2, error.Line);
        Assert.Contains("value 2 '4,5' is not a number", error.Message);
    }

    [Fact]
    public void InvalidUtf8WordWarnsWithLineAndSkipsIt()
    {
        using var folder = new TempFolder();
        byte[] bytes = [.. "good 1 2\n"u8, 0x62, 0xff, 0x61, .. " 3 4\nfine 5 6\n"u8];
        string path = folder.Write("latin1.txt", bytes);
        var vectors = WordVectors.Load(path);
        Assert.Equal(["good", "fine"], vectors.Words);
        string warning = Assert.Single(vectors.Warnings);
        Assert.Contains("line 2", warning);
        Assert.Contains("not valid UTF-8", warning);
        Assert.Contains("62FF61", warning);
    }

    [Fact]
    public void InvalidUtf8WordInBinaryWarnsWithEntry()
    {
        using var folder = new TempFolder();
        var bytes = new MemoryStream();
        bytes.Write("2 1\n"u8);
        bytes.Write([0xc3, 0x20]); // a word cut inside a two-byte character, as word2vec's tool does
        bytes.Write(BitConverter.GetBytes(1f));
        bytes.Write("ok "u8);
        bytes.Write(BitConverter.GetBytes(2f));
        string path = folder.Write("cut.bin", bytes.ToArray());
        var vectors = WordVectors.Load(path);
        Assert.Equal(WordVectorFormat.Word2VecBinary, vectors.Format);
        Assert.Equal(["ok"], vectors.Words);
        Assert.Contains("entry 1", Assert.Single(vectors.Warnings));
    }

    [Theory]
    [InlineData("3 2\na 1 2\nb 3 4\n", "announces 3 words, but the file holds 2")]
    [InlineData("1 2\na 1 2\nb 3 4\n", "announces 1 words, but this line holds another")]
    [InlineData("2 3\na 1 2\nb 3 4\n", "expected 3 values (the dimension in the header on line 1), found 2")]
    public void TextHeaderDisagreeingWithContentsIsAnError(string content, string expected)
    {
        using var folder = new TempFolder();
        string path = folder.Write("w2v.txt", content);
        var error = Assert.Throws<WordVectorsFormatException>(() =>
            WordVectors.Load(path, new WordVectorReadOptions { Format = WordVectorFormat.Word2VecText }));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void BinaryHeaderCountAboveContentsIsATruncationError()
    {
        using var folder = new TempFolder();
        string path = folder.Write("short.bin", Binary(4, true, header: $"{Words.Length + 1} 4\n"));
        var error = Assert.Throws<WordVectorsFormatException>(() => WordVectors.Load(path));
        Assert.Contains($"ends after {Words.Length} of the {Words.Length + 1} words", error.Message);
        Assert.Equal(Words.Length + 1, error.Line);
    }

    [Fact]
    public void BinaryHeaderCountBelowContentsIsAnError()
    {
        using var folder = new TempFolder();
        string path = folder.Write("long.bin", Binary(4, true, header: $"{Words.Length - 1} 4\n"));
        var error = Assert.Throws<WordVectorsFormatException>(() => WordVectors.Load(path));
        Assert.Contains($"announces {Words.Length - 1} words, but more data follows", error.Message);
    }

    [Fact]
    public void BinaryHeaderDimensionDisagreeingWithRecordsIsAnError()
    {
        using var folder = new TempFolder();
        string path = folder.Write("dim.bin", Binary(4, true, header: $"{Words.Length} 3\n"), gzip: true);
        var error = Assert.Throws<WordVectorsFormatException>(() => WordVectors.Load(path));
        Assert.Contains("header's dimension 3", error.Message);
    }

    [Fact]
    public void TruncatedBinaryVectorIsAnError()
    {
        using var folder = new TempFolder();
        byte[] whole = Binary(4, false);
        string path = folder.Write("cut.bin", whole[..^3]);
        var error = Assert.Throws<WordVectorsFormatException>(() => WordVectors.Load(path));
        Assert.Equal(Words.Length, error.Line);
        Assert.Contains("ends inside the 16 bytes of the vector of word 'don't'", error.Message);
    }

    [Fact]
    public void KeepFilterKeepsOnlyTheGivenWordsInFileOrder()
    {
        using var folder = new TempFolder();
        string path = folder.Write("glove.txt", TextLines(3), gzip: true);
        var vectors = WordVectors.Load(path, new WordVectorReadOptions { Keep = ["don't", "the", "absent"] });
        Assert.Equal(["the", "don't"], vectors.Words);
        Assert.Equal(Value(3, 2), vectors[1][2]);
        Assert.Equal(-1, vectors.IndexOf("café"));
    }

    [Fact]
    public void KeepFilterStopsReadingOnceEveryWordIsFound()
    {
        using var folder = new TempFolder();
        // The broken last line is never reached because both wanted words come first.
        string path = folder.Write("glove.txt", "a 1 2\nb 3 4\nc broken\n");
        var vectors = WordVectors.Load(path, new WordVectorReadOptions { Keep = ["a", "b"] });
        Assert.Equal(2, vectors.Count);
        Assert.Equal(2, vectors.EntriesRead);
    }

    [Fact]
    public void MaxWordsKeepsTheFirstWords()
    {
        using var folder = new TempFolder();
        string path = folder.Write("w2v.bin", Binary(4, true));
        var vectors = WordVectors.Load(path, new WordVectorReadOptions { MaxWords = 2 });
        Assert.Equal(Words[..2], vectors.Words);
        Assert.Equal(Value(1, 3), vectors[1][3]);
    }

    [Fact]
    public void NothingToKeepStillGivesTheDimension()
    {
        using var folder = new TempFolder();
        string path = folder.Write("glove.txt", TextLines(3));
        var none = WordVectors.Load(path, new WordVectorReadOptions { MaxWords = 0 });
        Assert.Equal((0, 3), (none.Count, none.Dimension));
        var empty = WordVectors.Load(path, new WordVectorReadOptions { Keep = [] });
        Assert.Equal((0, 3), (empty.Count, empty.Dimension));
    }

    [Fact]
    public void MissingFileNamesThePath()
    {
        var error = Assert.Throws<FileNotFoundException>(() => WordVectors.Load("/nonexistent/glove.txt"));
        Assert.Contains("/nonexistent/glove.txt", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BinaryFilesLargerThanTheReadBufferKeepEveryWordAndVector(bool gzip)
    {
        // 20,000 entries of 50 floats (4 MB) cross the reader's 1 MB buffer many times, also between a word and its vector.
        const int rows = 20_000, dimension = 50;
        var bytes = new MemoryStream();
        bytes.Write(Encoding.ASCII.GetBytes($"{rows} {dimension}\n"));
        for (int row = 0; row < rows; row++)
        {
            bytes.Write(Encoding.UTF8.GetBytes($"wörd{row} "));
            for (int c = 0; c < dimension; c++) bytes.Write(BitConverter.GetBytes(row + c / 64f));
            if (row % 2 == 0) bytes.WriteByte((byte)'\n');
        }
        using var folder = new TempFolder();
        var vectors = WordVectors.Load(folder.Write("big.bin", bytes.ToArray(), gzip));
        Assert.Equal(rows, vectors.Count);
        Assert.Empty(vectors.Warnings);
        for (int row = 0; row < rows; row++)
        {
            Assert.Equal($"wörd{row}", vectors.Words[row]);
            Assert.Equal(row + 49 / 64f, vectors[row][49]);
        }
    }

    [Fact]
    public void ManyRowsGrowStorageWithoutLosingValues()
    {
        // Enough rows to pass the first capacity step and the estimate-driven growth.
        using var folder = new TempFolder();
        var text = new StringBuilder();
        for (int i = 0; i < 5000; i++) text.Append($"w{i} {i} {-i}\n");
        var vectors = WordVectors.Load(folder.Write("many.txt", text.ToString(), gzip: true));
        Assert.Equal(5000, vectors.Count);
        for (int i = 0; i < 5000; i += 499)
        {
            Assert.Equal(i, vectors.IndexOf($"w{i}"));
            Assert.Equal([i, -i], vectors[i].ToArray());
        }
    }
}
