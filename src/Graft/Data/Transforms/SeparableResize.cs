using System.Numerics;

namespace Graft.Data.Transforms;

/// <summary>
/// Resizes with a separable convolution whose filter widens by the shrink factor, so shrinking averages every
/// source pixel instead of skipping some (antialiasing). This is the algorithm of PIL's <c>Image.resize</c>, which
/// torchvision's <c>Resize</c> uses on PIL images; it runs in float here (PIL rounds to 8 bits between passes).
/// </summary>
internal static unsafe class SeparableResize
{
    private readonly record struct Kernel(int[] Start, int[] Length, float[] Weights, int Stride);

    public static void Run<T>(ReadOnlySpan<T> source, int sourceWidth, int sourceHeight, int channels,
        Span<float> destination, int width, int height, Interpolation interpolation) where T : unmanaged
    {
        bool horizontal = width != sourceWidth, vertical = height != sourceHeight;
        if (!horizontal && !vertical)
        {
            BilinearWarp.Run(source, sourceWidth, sourceHeight, channels, Affine2D.Identity, destination, width, height, FillMode.Nearest, 0);
            return;
        }
        if (!vertical)
        {
            Horizontal(source, sourceWidth, sourceHeight, channels, destination, width, Build(sourceWidth, width, interpolation));
            return;
        }
        Kernel rows = Build(sourceHeight, height, interpolation);
        if (!horizontal)
        {
            if (typeof(T) == typeof(float))
            {
                Vertical(System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(source), width * channels, destination, height, rows);
                return;
            }
            float[] widened = System.Buffers.ArrayPool<float>.Shared.Rent(sourceWidth * sourceHeight * channels);
            try
            {
                Span<float> asFloat = widened.AsSpan(0, sourceWidth * sourceHeight * channels);
                BilinearWarp.Run(source, sourceWidth, sourceHeight, channels, Affine2D.Identity, asFloat, sourceWidth, sourceHeight, FillMode.Nearest, 0);
                Vertical(asFloat, width * channels, destination, height, rows);
            }
            finally
            {
                System.Buffers.ArrayPool<float>.Shared.Return(widened);
            }
            return;
        }
        float[] temporary = System.Buffers.ArrayPool<float>.Shared.Rent(width * sourceHeight * channels);
        try
        {
            Span<float> middle = temporary.AsSpan(0, width * sourceHeight * channels);
            Horizontal(source, sourceWidth, sourceHeight, channels, middle, width, Build(sourceWidth, width, interpolation));
            Vertical(middle, width * channels, destination, height, rows);
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(temporary);
        }
    }

    private static Kernel Build(int inSize, int outSize, Interpolation interpolation)
    {
        double support0 = interpolation == Interpolation.Bicubic ? 2.0 : 1.0;
        double scale = (double)inSize / outSize;
        double filterScale = Math.Max(scale, 1.0);
        double support = support0 * filterScale;
        int stride = (int)Math.Ceiling(support) * 2 + 1;
        var start = new int[outSize];
        var length = new int[outSize];
        var weights = new float[outSize * stride];
        double inverse = 1.0 / filterScale;
        var w = new double[stride];
        for (int i = 0; i < outSize; i++)
        {
            double center = (i + 0.5) * scale;
            int min = Math.Max(0, (int)Math.Floor(center - support + 0.5));
            int max = Math.Min(inSize, (int)Math.Floor(center + support + 0.5));
            int count = Math.Min(max - min, stride);
            double total = 0;
            for (int k = 0; k < count; k++)
            {
                w[k] = Filter((k + min - center + 0.5) * inverse, interpolation);
                total += w[k];
            }
            for (int k = 0; k < count; k++) weights[i * stride + k] = (float)(total != 0 ? w[k] / total : w[k]);
            start[i] = min;
            length[i] = count;
        }
        return new Kernel(start, length, weights, stride);
    }

    private static double Filter(double x, Interpolation interpolation)
    {
        x = Math.Abs(x);
        if (interpolation == Interpolation.Bilinear) return x < 1 ? 1 - x : 0;
        const double a = -0.5;
        if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
        if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
        return 0;
    }

    private static void Horizontal<T>(ReadOnlySpan<T> source, int sourceWidth, int rows, int channels,
        Span<float> destination, int width, Kernel kernel) where T : unmanaged
    {
        fixed (T* src = source)
        fixed (float* dst = destination)
        fixed (float* weights = kernel.Weights)
        {
            for (int y = 0; y < rows; y++)
            {
                T* row = src + (long)y * sourceWidth * channels;
                float* output = dst + (long)y * width * channels;
                for (int x = 0; x < width; x++, output += channels)
                {
                    float* w = weights + x * kernel.Stride;
                    T* first = row + kernel.Start[x] * channels;
                    int count = kernel.Length[x];
                    if (channels == 3)
                    {
                        float r = 0, g = 0, b = 0;
                        for (int k = 0; k < count; k++)
                        {
                            T* p = first + k * 3;
                            r += w[k] * PixelReader.Read(p);
                            g += w[k] * PixelReader.Read(p + 1);
                            b += w[k] * PixelReader.Read(p + 2);
                        }
                        output[0] = r; output[1] = g; output[2] = b;
                    }
                    else
                    {
                        for (int c = 0; c < channels; c++)
                        {
                            float sum = 0;
                            for (int k = 0; k < count; k++) sum += w[k] * PixelReader.Read(first + k * channels + c);
                            output[c] = sum;
                        }
                    }
                }
            }
        }
    }

    private static void Vertical(ReadOnlySpan<float> source, int rowLength, Span<float> destination, int height, Kernel kernel)
    {
        for (int y = 0; y < height; y++)
        {
            Span<float> output = destination.Slice(y * rowLength, rowLength);
            output.Clear();
            for (int k = 0; k < kernel.Length[y]; k++)
            {
                float weight = kernel.Weights[y * kernel.Stride + k];
                ReadOnlySpan<float> row = source.Slice((kernel.Start[y] + k) * rowLength, rowLength);
                MultiplyAdd(row, weight, output);
            }
        }
    }

    private static void MultiplyAdd(ReadOnlySpan<float> row, float weight, Span<float> output)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var w = new Vector<float>(weight);
            for (; i <= row.Length - Vector<float>.Count; i += Vector<float>.Count)
                (new Vector<float>(output[i..]) + new Vector<float>(row[i..]) * w).CopyTo(output[i..]);
        }
        for (; i < row.Length; i++) output[i] += row[i] * weight;
    }
}
