using Graft.Data;
using SkiaSharp;

namespace Graft.Tests.Data;

/// <summary>
/// The two JPEG decoders: libturbojpeg (system package libturbojpeg0, the fast path) and SkiaSharp (always there).
/// Both are libjpeg-turbo with the same settings, so they must agree bit for bit, and bad files must be judged alike.
/// </summary>
[Collection(DecoderSwitch.Name)]
public class JpegDecoderTests
{
    [Fact]
    public void TurboJpegIsInstalledAndDecodesExactlyLikeSkia()
    {
        Assert.True(TurboJpeg.IsInstalled,
            "libturbojpeg is not installed, so JPEGs decode about 2x slower through SkiaSharp: 'apt-get install -y libturbojpeg0'.");
        using var temp = new TempFolder();
        using (SKBitmap photo = TestImages.Detailed(203, 150, seed: 2)) TestImages.Save(photo, temp["colour.jpg"], SKEncodedImageFormat.Jpeg, 85);
        using (var gray = new SKBitmap(new SKImageInfo(64, 48, SKColorType.Gray8, SKAlphaType.Opaque)))
        {
            gray.Erase(new SKColor(90, 90, 90));
            using var canvas = new SKCanvas(gray);
            canvas.DrawCircle(30, 20, 12, new SKPaint { Color = SKColors.White });
            TestImages.Save(gray, temp["gray.jpg"], SKEncodedImageFormat.Jpeg, 90);
        }

        foreach (string name in new[] { "colour.jpg", "gray.jpg" })
            foreach (int hint in new[] { 0, 40 })
            {
                byte[] bytes = File.ReadAllBytes(temp[name]);
                RawImage fast = TurboJpeg.TryDecode(bytes, hint) ?? throw new InvalidOperationException($"libturbojpeg declined {name}.");
                RawImage skia = DecodeWithSkia(bytes, hint);
                Assert.Equal((skia.Width, skia.Height, skia.Channels), (fast.Width, fast.Height, fast.Channels));
                Assert.True(skia.Pixels.SequenceEqual(fast.Pixels), $"{name} (hint {hint}) decodes differently");
            }
    }

    [Fact]
    public void BadJpegsAreRejectedThroughEitherDecoder()
    {
        using var temp = new TempFolder();
        using (SKBitmap photo = TestImages.Detailed(120, 90, seed: 3)) TestImages.Save(photo, temp["good.jpg"], SKEncodedImageFormat.Jpeg);
        byte[] good = File.ReadAllBytes(temp["good.jpg"]);
        byte[][] bad = [good[..(good.Length / 2)], [], "not a jpeg"u8.ToArray(), [0xFF, 0xD8, 0xFF, 0xE0, 0, 16]];

        Assert.Null(TurboJpeg.TryDecode(good[..(good.Length / 2)], 0)); // a warning (premature end) is not accepted
        foreach (byte[] bytes in bad)
        {
            Assert.Throws<BadImageException>(() => ImageDecoder.Decode(bytes, "bad.jpg"));
            Assert.Throws<BadImageException>(() => DecodeWithSkia(bytes, 0));
        }
    }

    private static RawImage DecodeWithSkia(byte[] bytes, int hint) => DecoderSwitch.WithSkia(() => ImageDecoder.Decode(bytes, "skia", hint));
}
