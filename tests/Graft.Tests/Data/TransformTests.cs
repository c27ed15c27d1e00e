using Graft.Data;
using Graft.Data.Transforms;

namespace Graft.Tests.Data;

public class TransformTests
{
    private static readonly RawImage Rgb = TestImages.Raw(37, 23, 3, (x, y, c) => (x * 7 + y * 13 + c * 50) % 256);
    private static readonly OutputFormat Raw = new() { Scale = PixelScale.Raw };

    private static float[] Run(RawImage image, bool training, params IImageTransform[] steps) =>
        new ImagePipeline(steps, Raw).Process(image, training, new Random(1));

    private static float At(float[] chw, int width, int height, int x, int y, int c) => chw[(c * height + y) * width + x];

    [Fact]
    public void CropCopiesPixelsExactly()
    {
        float[] cropped = Run(Rgb, false, new CenterCrop(9, 5));
        // Offsets: round((37-9)/2) = 14, round((23-5)/2) = 9.
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < 5; y++)
                for (int x = 0; x < 9; x++)
                    Assert.Equal(Rgb.Pixels[((y + 9) * 37 + x + 14) * 3 + c], At(cropped, 9, 5, x, y, c));
    }

    [Fact]
    public void CenterCropLargerThanTheImagePadsWithBlack()
    {
        float[] padded = Run(Rgb, false, new CenterCrop(41, 23));
        Assert.Equal(0f, At(padded, 41, 23, 0, 5, 0));
        Assert.Equal(0f, At(padded, 41, 23, 1, 5, 0));
        Assert.Equal(Rgb.Pixels[(5 * 37 + 0) * 3], At(padded, 41, 23, 2, 5, 0));
        Assert.Equal(0f, At(padded, 41, 23, 39, 5, 2));
    }

    [Fact]
    public void FlipMirrorsExactlyAndTwiceIsIdentity()
    {
        float[] original = Run(Rgb, true);
        float[] flipped = Run(Rgb, true, new RandomHorizontalFlip(1));
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < 23; y++)
                for (int x = 0; x < 37; x++)
                    Assert.Equal(At(original, 37, 23, 36 - x, y, c), At(flipped, 37, 23, x, y, c));
        Assert.Equal(original, Run(Rgb, true, new RandomHorizontalFlip(1), new RandomHorizontalFlip(1)));
    }

    [Fact]
    public void WholePixelTranslationShiftsExactlyAndFillsTheRest()
    {
        float[] shifted = Run(Rgb, true, new Shift(3));
        for (int y = 0; y < 23; y++)
        {
            for (int x = 0; x < 3; x++) Assert.Equal(10f, At(shifted, 37, 23, x, y, 1));
            for (int x = 3; x < 37; x++) Assert.Equal(Rgb.Pixels[(y * 37 + x - 3) * 3 + 1], At(shifted, 37, 23, x, y, 1));
        }
    }

    [Fact]
    public void RotationFillModes()
    {
        var constant = new RandomRotation(45, FillMode.Constant, fillValue: 7);
        var reflect = new RandomRotation(45, FillMode.Reflect);
        // Find a generator seed whose angle is large enough to uncover the corners (|angle| > 20°).
        int seed = Enumerable.Range(0, 100).First(s => Math.Abs(new TransformContext(new Random(s), true).Uniform(-45, 45)) > 20);
        float[] withConstant = new ImagePipeline([constant], Raw).Process(Rgb, true, new Random(seed));
        float[] withReflect = new ImagePipeline([reflect], Raw).Process(Rgb, true, new Random(seed));
        Assert.Equal(7f, At(withConstant, 37, 23, 0, 0, 0));
        Assert.NotEqual(7f, At(withReflect, 37, 23, 0, 0, 0));
        // The centre pixel stays (rotation about the centre of a 37×23 image keeps pixel (18, 11) in place).
        Assert.Equal(At(Run(Rgb, false), 37, 23, 18, 11, 0), At(withConstant, 37, 23, 18, 11, 0), 3);
    }

    [Fact]
    public void ARotationAfterACropSeesOnlyTheCrop()
    {
        // White 60×60 image; crop the central 30×30 and rotate it 45°: the corners must be the black fill, as when
        // each step is resampled on its own, not the white that lay outside the crop (the warp is composed).
        RawImage white = TestImages.Raw(60, 60, 3, (_, _, _) => 255);
        float[] rotated = Run(white, true, new Turn(0), new CenterCrop(30), new Turn(45)); // Turn(0) first keeps all three in one composed warp
        Assert.Equal(0f, At(rotated, 30, 30, 0, 0, 0));
        Assert.Equal(0f, At(rotated, 30, 30, 29, 29, 2));
        Assert.Equal(255f, At(rotated, 30, 30, 15, 15, 1));
        float[] separately = Run(TestImages.Raw(30, 30, 3, (_, _, _) => 255), true, new Turn(45));
        Assert.Equal(separately.Length, rotated.Length);
        for (int i = 0; i < rotated.Length; i++) Assert.Equal(separately[i], rotated[i], 0.001f); // composed maps round differently
    }

    [Fact]
    public void AugmentationsDoNothingOutsideTraining()
    {
        IImageTransform[] augmentations =
        [
            new RandomHorizontalFlip(1), new RandomRotation(30), new RandomZoom(0.5, 2), new RandomTranslation(0.3, 0.3),
            new ColorJitter(0.5, 0.5, 0.5),
        ];
        Assert.Equal(Run(Rgb, false), Run(Rgb, false, augmentations));
        Assert.NotEqual(Run(Rgb, false), Run(Rgb, true, augmentations));
    }

    [Fact]
    public void RandomResizedCropOutsideTrainingIsResizeThenCenterCrop()
    {
        // The explicit steps form a deterministic prefix, rounded to bytes; the crop's evaluation path keeps floats.
        float[] explicitSteps = Run(Rgb, false, new Resize(16), new CenterCrop(16));
        float[] evaluationCrop = Run(Rgb, false, new RandomResizedCrop(16));
        Assert.Equal(explicitSteps.Length, evaluationCrop.Length);
        for (int i = 0; i < explicitSteps.Length; i++) Assert.Equal(explicitSteps[i], evaluationCrop[i], 0.5f);
        float[] trained = Run(Rgb, true, new RandomResizedCrop(16));
        Assert.Equal(3 * 16 * 16, trained.Length);
    }

    [Fact]
    public void RandomResizedCropBoxesStayInsideAndCoverTheRequestedArea()
    {
        var crop = new RandomResizedCrop(10, minScale: 0.25, maxScale: 0.5);
        var random = new Random(3);
        for (int i = 0; i < 500; i++)
        {
            var (left, top, width, height) = crop.ChooseBox(200, 100, new TransformContext(random, true));
            Assert.InRange(left, 0, 200 - width);
            Assert.InRange(top, 0, 100 - height);
            double fraction = width * height / 20000.0;
            Assert.InRange(fraction, 0.22, 0.53); // rounding of width and height moves the area a little
            Assert.InRange((double)width / height, 0.70, 1.40);
        }
    }

    [Fact]
    public void BrightnessScalesValuesUniformly()
    {
        float[] before = Run(Rgb, true);
        float[] after = Run(Rgb, true, new ColorJitter(brightness: 0.3));
        double? ratio = null;
        for (int i = 0; i < before.Length; i++)
        {
            if (before[i] < 20 || after[i] >= 255) continue;
            ratio ??= after[i] / before[i];
            Assert.Equal(ratio.Value, after[i] / before[i], 4);
        }
        Assert.NotNull(ratio);
        Assert.InRange(ratio!.Value, 0.7, 1.3);
        Assert.NotEqual(1.0, ratio.Value, 4);
    }

    [Fact]
    public void ResizeKeepsAspectLikeTorchvisionAndSameSizeIsIdentity()
    {
        Assert.Equal((16, 25), new Resize(16).OutputSize(23, 37)); // int(16 * 37 / 23) = 25
        Assert.Equal((25, 16), new Resize(16).OutputSize(37, 23));
        Assert.Equal(Run(Rgb, false), Run(Rgb, false, Resize.To(37, 23)));
        float[] small = Run(Rgb, false, new Resize(10, Interpolation.Bicubic));
        Assert.Equal(3 * 10 * 16, small.Length);
        Assert.All(small, v => Assert.InRange(v, -60f, 320f)); // bicubic may overshoot a little, but not wildly
    }

    [Fact]
    public void OutputScalesNormalisesAndConvertsChannels()
    {
        RawImage gray = TestImages.Raw(4, 3, 1, (x, y, _) => x * 60 + y);
        float[] unit = new ImagePipeline([]).Process(gray, false, new Random(0));
        Assert.Equal(3 * 12, unit.Length);
        Assert.Equal(unit[..12], unit[12..24]); // grey is repeated into R, G and B
        Assert.Equal(181f / 255f, unit[1 * 4 + 3]); // pixel (3, 1) = 3·60 + 1

        float[] symmetric = new ImagePipeline([], new OutputFormat { Scale = PixelScale.Symmetric, Channels = 1 })
            .Process(TestImages.Raw(2, 1, 3, (x, _, _) => x * 255), false, new Random(0));
        Assert.Equal(-1f, symmetric[0]);
        Assert.Equal(1f, symmetric[1], 6);

        float[] luma = new ImagePipeline([], new OutputFormat { Scale = PixelScale.Raw, Channels = 1 })
            .Process(TestImages.Raw(1, 1, 3, (_, _, c) => new[] { 100, 200, 50 }[c]), false, new Random(0));
        Assert.Equal(0.299f * 100 + 0.587f * 200 + 0.114f * 50, luma[0], 3);

        var normalised = new OutputFormat { Mean = [0.5f], Std = [0.25f] };
        Assert.Equal((128f / 255f - 0.5f) / 0.25f, normalised.Apply(128, 0));
        Assert.Throws<ArgumentException>(() => new OutputFormat { Mean = [0.1f, 0.2f] }.Apply(1, 0));
    }

    private sealed class Turn(double degrees) : IImageTransform
    {
        public bool IsRandom => true;

        public void Apply(ImageFrame frame, TransformContext context) => RandomRotation.Rotate(frame, degrees);
    }

    /// <summary>A user-written geometric transform: moves the content right by whole pixels, filling with 10.</summary>
    private sealed class Shift(int pixels) : IImageTransform
    {
        public bool IsRandom => true;

        public void Apply(ImageFrame frame, TransformContext context)
        {
            frame.Warp(Affine2D.Translation(-pixels, 0), frame.Width, frame.Height);
            frame.FillValue = 10;
        }
    }
}
