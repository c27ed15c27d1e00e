namespace Graft.Models;

/// <summary>Channel arithmetic shared by the mobile architectures.</summary>
internal static class Channels
{
    /// <summary>
    /// torchvision's <c>_make_divisible</c> (from TensorFlow's MobileNet): rounds <paramref name="value"/> to the
    /// nearest multiple of <paramref name="divisor"/>, at least <paramref name="minValue"/> (the divisor by default),
    /// and never more than 10 % below the value.
    /// </summary>
    public static long MakeDivisible(double value, int divisor = 8, int? minValue = null)
    {
        long min = minValue ?? divisor;
        long rounded = Math.Max(min, (long)(value + divisor / 2.0) / divisor * divisor);
        if (rounded < 0.9 * value) rounded += divisor;
        return rounded;
    }
}
