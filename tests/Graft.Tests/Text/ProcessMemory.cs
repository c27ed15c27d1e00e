namespace Graft.Tests.Text;

/// <summary>The process's resident memory from /proc/self/status (Linux), with the peak resettable.</summary>
internal static class ProcessMemory
{
    /// <summary>Current resident set size (VmRSS).</summary>
    public static long ResidentBytes() => ReadKilobytes("VmRSS") * 1024;

    /// <summary>Peak resident set size since start or the last <see cref="ResetPeak"/> (VmHWM).</summary>
    public static long PeakResidentBytes() => ReadKilobytes("VmHWM") * 1024;

    /// <summary>Resets VmHWM to the current RSS (writing 5 to /proc/self/clear_refs, Linux ≥ 4.0).</summary>
    /// <exception cref="InvalidOperationException">When the kernel does not allow it; the measurement cannot be made.</exception>
    public static void ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                "cannot reset the peak RSS through /proc/self/clear_refs (needs Linux ≥ 4.0 and a writable procfs); " +
                "this memory test must run on Linux with procfs", e);
        }
    }

    private static long ReadKilobytes(string field)
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (!line.StartsWith(field + ":", StringComparison.Ordinal)) continue;
            return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0]);
        }
        throw new InvalidOperationException($"/proc/self/status has no {field} line; this memory test needs Linux procfs");
    }
}
