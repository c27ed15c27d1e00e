using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Native;

/// <summary>
/// The one place that decides where tensors live and how many CPU threads libtorch uses. Everything in Graft
/// asks <see cref="Device"/> instead of assuming the CPU, so a user who references a CUDA build of TorchSharp
/// gets the GPU without code changes.
/// </summary>
public static class Compute
{
    private static readonly object Gate = new();
    private static Device? _device;

    /// <summary>
    /// The device Graft puts models and batches on: the <c>GRAFT_DEVICE</c> environment variable if set
    /// (e.g. <c>cpu</c>, <c>cuda</c>, <c>cuda:1</c>), else CUDA when available, else the CPU.
    /// Settable once before use (later sets replace it for new work).
    /// </summary>
    public static Device Device
    {
        get
        {
            lock (Gate)
            {
                return _device ??= ChooseDefault();
            }
        }
        set
        {
            lock (Gate) _device = value;
        }
    }

    /// <summary>Sets the number of threads libtorch uses for intra-op parallelism.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="threads"/> is less than 1.</exception>
    public static void SetThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        torch.set_num_threads(threads);
    }

    /// <summary>Seeds libtorch's global generator (CPU and, when present, CUDA).</summary>
    public static void Seed(long seed)
    {
        torch.manual_seed(seed);
        if (torch.cuda.is_available()) torch.cuda.manual_seed_all(seed);
    }

    private static Device ChooseDefault()
    {
        string? requested = Environment.GetEnvironmentVariable("GRAFT_DEVICE");
        if (!string.IsNullOrWhiteSpace(requested))
        {
            try
            {
                return new Device(requested.Trim());
            }
            catch (Exception e)
            {
                throw new ArgumentException(
                    $"GRAFT_DEVICE='{requested}' is not a device libtorch knows; use 'cpu', 'cuda' or 'cuda:N'.", e);
            }
        }
        return torch.cuda.is_available() ? CUDA : CPU;
    }
}
