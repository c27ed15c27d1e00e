using System.Runtime.InteropServices;
using Graft.Native;

namespace Graft.Tests.Native;

/// <summary>Graft's in-process glibc settings (Native/NativeAllocator.cs) are applied when Graft loads.</summary>
public class NativeAllocatorTests
{
    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint Arena, Ordblks, Smblks, Hblks, Hblkhd, Usmblks, Fsmblks, Uordblks, Fordblks, Keepcost;
    }

    [DllImport("libc", EntryPoint = "mallinfo2")]
    private static extern MallInfo2 mallinfo2();

    [Fact]
    public void SettingsAreAppliedOnLinuxUnlessTheUserSetThem()
    {
        NativeAllocator.Apply();
        if (Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is not null)
        {
            Assert.False(NativeAllocator.Applied);
            Assert.Contains("MALLOC_MMAP_THRESHOLD_", NativeAllocator.SkippedBecause);
            return;
        }
        Assert.True(NativeAllocator.Applied, NativeAllocator.SkippedBecause);
    }

    [Fact]
    public void A16MegabyteBlockComesFromTheHeapNotFromMmap()
    {
        NativeAllocator.Apply();
        if (Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is not null) return; // the user's setting rules
        Assert.True(NativeAllocator.Applied, NativeAllocator.SkippedBecause);
        // glibc's default serves blocks above 128 KiB (its dynamic threshold grows to at most 32 MiB) with mmap,
        // counted in hblkhd; with the threshold raised the block comes from the arena and hblkhd does not grow.
        const int size = 16 << 20;
        nuint before = mallinfo2().Hblkhd;
        IntPtr block = Marshal.AllocHGlobal(size); // malloc on Unix
        try
        {
            nuint during = mallinfo2().Hblkhd;
            Assert.True(during < before + (nuint)size, $"mmapped bytes grew from {before} to {during}: the block was mmapped");
        }
        finally
        {
            Marshal.FreeHGlobal(block);
        }
    }
}
