using System.Globalization;
using Graft.Models;
using Graft.Weights;
using SkiaSharp;
using static TorchSharp.torch;

namespace Graft.Tests.Cli;

/// <summary>The CLI tests run one at a time (each starts a process that uses both cores) and share one fixture.</summary>
[CollectionDefinition("Cli", DisableParallelization = true)]
public sealed class CliCollection : ICollectionFixture<CliFixture>;

/// <summary>
/// Data every CLI test uses, made once: an image folder of three shape classes (circles, squares, triangles in random
/// colours, sizes and places, 40×40, PNG and JPEG), a CSV manifest of the same pictures labelled with the shape's
/// size (regression), a "pretrained" resnet_mini base trained by <c>graft train</c> itself, and a folder per test.
/// </summary>
public sealed class CliFixture : IDisposable
{
    public static readonly string[] Classes = ["circle", "square", "triangle"];
    public const int PerClass = 24;

    public CliFixture()
    {
        Root = Directory.CreateTempSubdirectory("graft-cli-tests-").FullName;
        Shapes = Path.Combine(Root, "shapes");
        Regression = Path.Combine(Root, "sizes.csv");
        var rows = new List<string> { "path,size" };
        var random = new Random(12);
        for (int c = 0; c < Classes.Length; c++)
            for (int i = 0; i < PerClass; i++)
            {
                string extension = i % 4 == 3 ? ".jpg" : ".png";
                string relative = Path.Combine("shapes", Classes[c], $"{i:D2}{extension}");
                float size = DrawShape(Path.Combine(Root, relative), c, random);
                rows.Add($"{relative},{size.ToString("0.###", CultureInfo.InvariantCulture)}");
            }
        File.WriteAllLines(Regression, rows);

        // A base "pretrained" on the task by graft itself: the saved model of a short scratch run.
        BaseRun = Path.Combine(Root, "base-run");
        BaseTraining = CliRunner.Run("train", "--data", Shapes, "--model", "resnet_mini", "--weights", "none", "--strategy", "scratch",
            "--epochs", "4", "--batch-size", "16", "--lr", "0.003", "--out", BaseRun);
        BaseModel = Path.Combine(BaseRun, "model.safetensors");

        // A plain weight file of a zoo architecture with ImageNet's 1000 classes (random weights, seeded).
        MobileNetWeights = Path.Combine(Root, "mobilenet_v3_small-random.safetensors");
        manual_seed(5);
        using (var mobile = Zoo.Create("mobilenet_v3_small"))
        using (var state = StateDict.FromModule(mobile))
            state.Save(MobileNetWeights);
    }

    public string Root { get; }

    /// <summary>The image folder: one subfolder per class.</summary>
    public string Shapes { get; }

    /// <summary>A CSV manifest: path,size rows over the same images.</summary>
    public string Regression { get; }

    /// <summary>The run folder of the fixture's scratch training.</summary>
    public string BaseRun { get; }

    /// <summary>That run's outcome.</summary>
    public CliResult BaseTraining { get; }

    /// <summary>That run's saved model (resnet_mini, 3 classes).</summary>
    public string BaseModel { get; }

    /// <summary>mobilenet_v3_small weights (1000 classes) as a plain safetensors file.</summary>
    public string MobileNetWeights { get; }

    /// <summary>A fresh folder for one test's outputs.</summary>
    public string NewFolder(string name) => Directory.CreateDirectory(Path.Combine(Root, $"{name}-{Guid.NewGuid():N}")).FullName;

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Draws one shape of class <paramref name="shape"/>; returns its size (side or diameter as a share of the image).</summary>
    private static float DrawShape(string path, int shape, Random random)
    {
        const int side = 40;
        using var bitmap = new SKBitmap(new SKImageInfo(side, side, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(new SKColor((byte)random.Next(0, 60), (byte)random.Next(0, 60), (byte)random.Next(0, 60)));
        using var paint = new SKPaint
        {
            Color = new SKColor((byte)random.Next(130, 256), (byte)random.Next(130, 256), (byte)random.Next(130, 256)),
            IsAntialias = true,
            Style = SKPaintStyle.Fill,
        };
        int r = random.Next(8, 15);
        float x = random.Next(r + 1, side - r - 1), y = random.Next(r + 1, side - r - 1);
        switch (shape)
        {
            case 0:
                canvas.DrawCircle(x, y, r, paint);
                break;
            case 1:
                canvas.DrawRect(x - r, y - r, 2 * r, 2 * r, paint);
                break;
            default:
                using (var triangle = new SKPath())
                {
                    triangle.MoveTo(x, y - r);
                    triangle.LineTo(x - r, y + r);
                    triangle.LineTo(x + r, y + r);
                    triangle.Close();
                    canvas.DrawPath(triangle, paint);
                }
                break;
        }
        canvas.Flush();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var format = path.EndsWith(".jpg", StringComparison.Ordinal) ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Png;
        using var data = bitmap.Encode(format, 92);
        File.WriteAllBytes(path, data.ToArray());
        return 2f * r / side;
    }
}
