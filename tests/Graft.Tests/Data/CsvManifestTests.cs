using Graft.Data;
using Graft.Data.Transforms;

namespace Graft.Tests.Data;

public class CsvManifestTests
{
    [Fact]
    public void ClassificationManifestWithHeaderAndQuotedFields()
    {
        using var temp = new TempFolder();
        TestImages.WriteClassImage(temp["img/red, one.png"], 0);
        TestImages.WriteClassImage(temp["img/green.jpg"], 1);
        TestImages.WriteClassImage(temp["img/blue.png"], 2);
        File.WriteAllText(temp["list.csv"],
            "path,label\r\n\"img/red, one.png\",red\r\nimg/green.jpg,\"gr\"\"een\"\r\n\r\nimg/blue.png, blue\r\n");

        CsvManifest manifest = CsvManifest.OpenClassification(temp["list.csv"]);

        Assert.Equal(3, manifest.Count);
        Assert.Equal(["blue", "gr\"een", "red"], manifest.ClassNames);
        Assert.Equal([2, 1, 0], manifest.Labels());
        Assert.Equal(temp["img/red, one.png"], manifest.Paths[0]);
        var image = manifest.Load(0, 0);
        Assert.Equal((40, 30, 3), (image.Width, image.Height, image.Channels));
    }

    [Fact]
    public void IntegerLabelsAreUsedAsClassIndices()
    {
        using var temp = new TempFolder();
        TestImages.WriteClassImage(temp["a.png"], 0);
        TestImages.WriteClassImage(temp["b.png"], 1);
        File.WriteAllText(temp["list.csv"], "a.png,3\nb.png,10\n");

        CsvManifest manifest = CsvManifest.OpenClassification(temp["list.csv"]);

        Assert.Equal([3, 10], manifest.Labels());
        Assert.Equal(11, manifest.ClassNames.Count);
        Assert.Equal("10", manifest.ClassNames[10]);
    }

    [Fact]
    public void RegressionManifestGivesFloatTargetsInBatches()
    {
        using var temp = new TempFolder();
        TestImages.WriteClassImage(temp["a.png"], 0);
        TestImages.WriteClassImage(temp["sub/b.png"], 1);
        File.WriteAllText(temp["targets.csv"], "a.png,0.5,-2\nsub/b.png,1e3,\"7.25\"\n");

        CsvManifest manifest = CsvManifest.OpenRegression(temp["targets.csv"], CsvHeader.Absent);
        Assert.Equal(2, manifest.TargetCount);
        Assert.Empty(manifest.ClassNames);

        var loader = new DataLoader(manifest, new ImagePipeline([Resize.To(8, 8)]), LoaderOptions.Evaluation with { BatchSize = 4 });
        Batch batch = Assert.Single(loader.Epoch(0));
        using (batch)
        {
            Assert.Equal([2, 2], batch.Y.shape);
            Assert.Equal([0.5f, -2f, 1000f, 7.25f], batch.Y.data<float>().ToArray());
        }
    }

    [Fact]
    public void MissingImageIsAnErrorNamingTheLine()
    {
        using var temp = new TempFolder();
        TestImages.WriteClassImage(temp["a.png"], 0);
        File.WriteAllText(temp["list.csv"], "path,label\na.png,cat\n\nmissing.jpg,dog\n");

        var error = Assert.Throws<InvalidDataException>(() => CsvManifest.OpenClassification(temp["list.csv"]));
        Assert.Contains("line 4", error.Message);
        Assert.Contains("missing.jpg", error.Message);
        Assert.Contains("does not exist", error.Message);
    }

    [Fact]
    public void MalformedManifestsAreErrorsNamingTheLine()
    {
        using var temp = new TempFolder();
        TestImages.WriteClassImage(temp["a.png"], 0);

        File.WriteAllText(temp["fields.csv"], "a.png,cat,extra\n");
        Assert.Contains("line 1: expected 2 fields",
            Assert.Throws<InvalidDataException>(() => CsvManifest.OpenClassification(temp["fields.csv"])).Message);

        File.WriteAllText(temp["number.csv"], "a.png,1.5\na.png,abc\n");
        Assert.Contains("line 2: value 1 'abc' is not a number",
            Assert.Throws<InvalidDataException>(() => CsvManifest.OpenRegression(temp["number.csv"])).Message);

        File.WriteAllText(temp["quote.csv"], "a.png,\"open\n");
        Assert.Contains("line 1: a quoted field is never closed",
            Assert.Throws<InvalidDataException>(() => CsvManifest.OpenClassification(temp["quote.csv"])).Message);

        File.WriteAllText(temp["empty.csv"], "path,label\n");
        Assert.Contains("lists no images",
            Assert.Throws<InvalidDataException>(() => CsvManifest.OpenClassification(temp["empty.csv"])).Message);

        Assert.Throws<FileNotFoundException>(() => CsvManifest.OpenClassification(temp["nope.csv"]));
    }
}
