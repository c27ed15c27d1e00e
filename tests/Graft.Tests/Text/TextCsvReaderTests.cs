using Graft.Text;

namespace Graft.Tests.Text;

public class TextCsvReaderTests
{
    private static LabeledTexts Read(string content, TextCsvOptions? options = null, string name = "data.csv")
    {
        using var folder = new TempFolder();
        return TextCsvReader.Read(folder.Write(name, content), options);
    }

    private static FormatException Fails(string content, TextCsvOptions? options = null)
    {
        using var folder = new TempFolder();
        string path = folder.Write("data.csv", content);
        var error = Assert.ThrowsAny<FormatException>(() => TextCsvReader.Read(path, options));
        Assert.Contains(path, error.Message);
        return error;
    }

    [Fact]
    public void ReadsQuotedFieldsWithDelimitersQuotesAndLineBreaks()
    {
        var data = Read("id,text,label\r\n1,\"Hello, world\",pos\r\n2,\"She said \"\"no\"\"\nthen left\",neg\r\n3,plain,pos\r\n");
        Assert.Equal(["Hello, world", "She said \"no\"\nthen left", "plain"], data.Texts);
        Assert.Equal(["neg", "pos"], data.Classes);
        Assert.Equal([1, 0, 1], data.Labels);
    }

    [Fact]
    public void DetectsTabAndSemicolonDelimiters()
    {
        Assert.Equal(["a, b"], Read("text\tlabel\na, b\tx\n", name: "data.tsv").Texts);
        Assert.Equal(["a, b"], Read("text;label\n\"a, b\";x\n").Texts);
    }

    [Fact]
    public void ChoosesColumnsByIndexWithoutAHeader()
    {
        var data = Read("pos|good film\nneg|bad film\n", new TextCsvOptions { HasHeader = false, TextColumn = 1, LabelColumn = 0 });
        Assert.Equal(["good film", "bad film"], data.Texts);
        Assert.Equal([1, 0], data.Labels);
    }

    [Fact]
    public void MatchesHeaderNamesAfterAByteOrderMarkAndIgnoringCase()
    {
        var data = Read("\uFEFFText,Label\nhi,a\n");
        Assert.Equal(["hi"], data.Texts);
    }

    [Fact]
    public void ClassesAreSortedOrdinallyAndLabelsTrimmed()
    {
        var data = Read("text,label\na, b \nb,B\nc,a\nd,b\n");
        Assert.Equal(["B", "a", "b"], data.Classes);
        Assert.Equal([2, 0, 1, 2], data.Labels);
    }

    [Fact]
    public void SkipsBlankLines() => Assert.Equal(2, Read("text,label\n\na,x\n\nb,y\n\n").Count);

    [Fact]
    public void MissingColumnNamesItAndListsTheColumns()
    {
        var error = Fails("review,sentiment\ngood,pos\n", new TextCsvOptions { TextColumn = "review" });
        Assert.Contains("the label column 'label' does not exist", error.Message);
        Assert.Contains("'review', 'sentiment'", error.Message);
        Assert.Equal("label", Assert.IsType<MissingColumnException>(error).Role);
    }

    [Fact]
    public void ColumnIndexBeyondTheHeaderIsAnError()
    {
        var error = Fails("text,label\na,b\n", new TextCsvOptions { LabelColumn = 5 });
        Assert.Contains("the label column #5 (0-based) does not exist", error.Message);
        Assert.Contains("'text', 'label'", error.Message);
        Assert.IsType<MissingColumnException>(error);
    }

    [Fact]
    public void RowWithMissingFieldsNamesItsLine()
    {
        // The quoted line break makes the short row line 5, though it is the third record.
        var error = Fails("text,label\n\"two\nlines\",a\nfine,b\nshort\n");
        Assert.Contains("line 5:", error.Message);
        Assert.Contains("the row has 1 field(s), but the label column 'label' is field 2", error.Message);
    }

    [Fact]
    public void EmptyLabelNamesItsLine() =>
        Assert.Contains("line 3: the label (column 'label') is empty", Fails("text,label\na,x\nb,  \n").Message);

    [Fact]
    public void UnclosedQuoteNamesTheLineItOpensOn() =>
        Assert.Contains("line 3: a quoted field (field 1) is not closed", Fails("text,label\na,x\n\"open,y\nmore\n").Message);

    [Fact]
    public void TextAfterAClosingQuoteIsAnError() =>
        Assert.Contains("line 2: 'x' follows the closing quote", Fails("text,label\n\"a\"x,y\n").Message);

    [Fact]
    public void BytesThatAreNotUtf8NameTheLine()
    {
        using var folder = new TempFolder();
        string path = folder.Write("latin1.csv", [.. "text,label\nok,a\ncaf"u8, 0xE9, .. ",b\n"u8]);
        var error = Assert.Throws<FormatException>(() => TextCsvReader.Read(path));
        Assert.Contains("line 3: bytes that are not UTF-8", error.Message);
    }

    [Fact]
    public void LabelOutsideGivenClassesNamesTheLine()
    {
        var error = Fails("text,label\na,pos\nb,neutral\n", new TextCsvOptions { Classes = ["neg", "pos"] });
        Assert.Contains("line 3: label 'neutral' is not one of the 2 classes: 'neg', 'pos'", error.Message);
    }

    [Fact]
    public void GivenClassesFixTheIndices() =>
        Assert.Equal([1], Read("text,label\na,pos\n", new TextCsvOptions { Classes = ["neg", "pos"] }).Labels);

    [Fact]
    public void UndetectableDelimiterAsksForIt() =>
        Assert.Contains("cannot detect the delimiter", Fails("just one column\nrow\n").Message);

    [Fact]
    public void NameWithoutHeaderIsAnError() =>
        Assert.Contains("read without a header", Fails("a,b\n", new TextCsvOptions { HasHeader = false, LabelColumn = 1 }).Message);
}
