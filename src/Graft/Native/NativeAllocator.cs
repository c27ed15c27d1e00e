using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Graft.Native;

/// <summary>
/// Keeps glibc from handing libtorch's large activation buffers back to the operating system after every step.
/// By default glibc serves blocks above a (dynamic, at most 32 MiB) threshold with <c>mmap</c> and trims the heap
/// top above 128 KiB, so each training or inference step pays page faults on fresh zeroed pages for every big
/// activation: measured on the project's 2-core machine, the same settings as the environment variables
/// <c>MALLOC_MMAP_THRESHOLD_</c>/<c>MALLOC_TRIM_THRESHOLD_</c> ≈ 16 GiB and <c>MALLOC_TOP_PAD_</c> = 1 GiB gave
/// about +30% throughput (ResNet-18 224 px inference, channels-last, batch 32: 24 → 30–35 images/s).
/// Applied once when Graft loads, on Linux with glibc only, and not at all when the user set any of those
/// variables (their choice wins). The cost is memory that stays mapped to the process after a peak. As with the
/// environment variables, a block above 64 MiB requested from a thread other than the main one is still mmapped
/// (glibc's per-thread heaps are 64 MiB at most).
/// </summary>
/// <remarks>
/// The trade, measured on a quiet 2-core machine with the bench's workers (224 px, batch 32), without → with these
/// settings: ResNet-18 inference 59 → 89 images/s, ResNet-18 fine-tuning step 13.5 → 26.6, MobileNetV2 fine-tuning
/// step 9.7 → 30.9; peak resident memory of a ResNet-50 fine-tuning step 3,142 → 4,636 MiB (freed activations stay
/// in the heap, fragmented). A fixed 64 MiB mmap threshold kept 4,400 MiB and lost a third of the speed of the
/// ResNet-50 step, so speed wins by default; setting any of the variables above gives a user the lean behaviour.
/// Without trimming, nothing that scatters small blocks through the heap may run per step (see <see cref="Scalars"/>):
/// ResNet-50 training at 80 px, batch 32, 120 steps, before → after Graft's hot paths stopped leaving Scalars to
/// the finalizer: heap 2,187 → 4,243 MiB and resident 1,456 → 3,616 MiB (still growing), against a heap fixed at
/// 2,185 MiB and resident 1,465 → 1,927 MiB (bounded by the heap); steps 0.55 s → 0.41 s.
/// </remarks>
public static class NativeAllocator
{
    // mallopt parameter numbers from glibc's <malloc.h>.
    private const int TrimThreshold = -1, TopPad = -2, MmapThreshold = -3;

    private static readonly string[] UserVariables =
        ["MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "MALLOC_MMAP_MAX_"];

    /// <summary>True when Graft set the allocator parameters in this process.</summary>
    public static bool Applied { get; private set; }

    /// <summary>Why the settings were not applied (null when they were).</summary>
    public static string? SkippedBecause { get; private set; }

    // A library module initializer on purpose: the settings must be in place before libtorch's first large
    // allocation, with nothing for the user to call.
#pragma warning disable CA2255
    [ModuleInitializer]
    internal static void Initialize() => Apply();
#pragma warning restore CA2255

    /// <summary>Applies the settings (idempotent); called by Graft's module initializer.</summary>
    public static void Apply()
    {
        if (Applied) return;
        if (!OperatingSystem.IsLinux())
        {
            SkippedBecause = "not Linux";
            return;
        }
        string? user = UserVariables.FirstOrDefault(v => Environment.GetEnvironmentVariable(v) is not null);
        if (user is not null)
        {
            SkippedBecause = $"{user} is set";
            return;
        }
        try
        {
            // glibc 2.36 accepts any int for the mmap threshold (the HEAP_MAX/2 cap of older versions is gone);
            // int.MaxValue (2 GiB) is above any activation of these models, so they all come from the heap.
            bool ok = mallopt(MmapThreshold, int.MaxValue) == 1;
            ok &= mallopt(TrimThreshold, int.MaxValue) == 1;
            ok &= mallopt(TopPad, 1 << 30) == 1;
            Applied = ok;
            SkippedBecause = ok ? null : "mallopt refused a value";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            SkippedBecause = "the C library has no mallopt (not glibc)";
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);
}
