using Graft.Reports;
using SkiaSharp;

namespace Graft.Tests.Reports;

public class ReportsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("graft-reports-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Decodes a PNG and checks it is an image of the given size with more than a few colours.</summary>
    internal static void AssertRealPng(string path, int minWidth, int minHeight)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        using var bitmap = SKBitmap.Decode(path);
        Assert.NotNull(bitmap);
        Assert.True(bitmap.Width >= minWidth && bitmap.Height >= minHeight, $"{path} is {bitmap.Width}x{bitmap.Height}");
        var colours = new HashSet<uint>();
        for (int y = 0; y < bitmap.Height; y += 7)
            for (int x = 0; x < bitmap.Width; x += 7)
                colours.Add((uint)bitmap.GetPixel(x, y));
        Assert.True(colours.Count > 8, $"{path} has only {colours.Count} colours: nothing was drawn");
    }

    [Fact]
    public void ChartsAreValidNonTrivialPngs()
    {
        string curves = Path.Combine(_folder, "curves.png");
        Charts.LearningCurves(curves, "Learning curves", "accuracy",
            [new Series("train", [1, 2, 3, 4], [0.5, 0.6, 0.7, 0.8]), new Series("validation", [1, 2, 3, 4], [0.45, 0.55, 0.6, 0.7])],
            [(2.5, "fine-tuning starts")]);
        AssertRealPng(curves, 800, 500);

        string confusion = Path.Combine(_folder, "confusion.png");
        Charts.ConfusionMatrix(confusion, "Confusion", new long[,] { { 9, 1, 0 }, { 2, 7, 1 }, { 0, 0, 10 } }, ["a", "b", "c"]);
        AssertRealPng(confusion, 500, 500);

        string shots = Path.Combine(_folder, "shots.png");
        Charts.AccuracyVsShots(shots, "Accuracy vs shots", new Dictionary<string, IReadOnlyList<MeanPoint>>
        {
            ["scratch"] = [new(5, 0.6, 0.02), new(20, 0.65, 0.01), new(100, 0.75, 0.01)],
            ["fine-tune"] = [new(5, 0.72, 0.03), new(20, 0.78, 0.02), new(100, 0.86, 0.01)],
        });
        AssertRealPng(shots, 800, 500);
    }

    [Fact]
    public void ConfusionMatrixRefusesAMismatchedLabelList()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            Charts.ConfusionMatrix(Path.Combine(_folder, "x.png"), "x", new long[2, 2], ["a", "b", "c"]));
        Assert.Contains("3 class names", e.Message);
    }

    [Fact]
    public void TablesRenderAsMarkdownCsvAndText()
    {
        var table = new Table("strategy", "k", "accuracy").Add("fine-tune", 5, 0.74321).Add("a,b \"q\"", 20, 0.5);
        Assert.Equal("| strategy | k | accuracy |\n|---|---|---|\n| fine-tune | 5 | 0.7432 |\n| a,b \"q\" | 20 | 0.5 |\n",
            table.ToMarkdown().Replace("\r", ""));
        Assert.Equal("strategy,k,accuracy\nfine-tune,5,0.7432\n\"a,b \"\"q\"\"\",20,0.5\n", table.ToCsv());
        Assert.Contains("fine-tune  5   0.7432", table.ToString());
        Assert.Throws<ArgumentException>(() => table.Add("only one"));
    }

    [Fact]
    public void MarkdownReportIsWrittenWithItsParts()
    {
        string path = Path.Combine(_folder, "report.md");
        new MarkdownReport("Run").Heading("Results").Paragraph("Fine-tuning helped.")
            .Add(new Table("a", "b").Add(1, 2)).Image("curves", "curves.png").Save(path);
        string text = File.ReadAllText(path);
        Assert.StartsWith("# Run\n", text);
        Assert.Contains("## Results", text);
        Assert.Contains("| 1 | 2 |", text);
        Assert.Contains("![curves](curves.png)", text);
        Assert.Empty(Directory.GetFiles(_folder, "*.partial"));
    }
}
