using Graft.Data;

namespace Graft.Tests.Data;

/// <summary>
/// Runs code with JPEG decoding forced through SkiaSharp. Tests that switch decoders share this xunit collection,
/// so they never run at the same time (other tests do not care: both decoders give identical pixels).
/// </summary>
[CollectionDefinition(Name)]
public sealed class DecoderSwitch
{
    public const string Name = "JPEG decoder switch";

    public static T WithSkia<T>(Func<T> action)
    {
        bool was = TurboJpeg.Enabled;
        TurboJpeg.Enabled = false;
        try
        {
            return action();
        }
        finally
        {
            TurboJpeg.Enabled = was;
        }
    }
}
