using System.Reflection;
using Graft.Build;

namespace Graft.Tests.Native;

/// <summary>The build-time repair of libLibTorchSharp.so (build/ElfVersionRepair.cs), on copies of the shipped file.</summary>
public class ElfVersionRepairTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("graft-elf-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>The library exactly as the TorchSharp package ships it (the NuGet cache is only read).</summary>
    private static string ShippedLibrary()
    {
        string root = typeof(ElfVersionRepairTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "NuGetPackageRoot").Value!;
        string path = Path.Combine(root, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(path), $"TorchSharp's native library not found at {path}; run 'dotnet restore'.");
        return path;
    }

    private string CopyOfShipped()
    {
        string copy = Path.Combine(_folder, "libLibTorchSharp.so");
        File.Copy(ShippedLibrary(), copy);
        return copy;
    }

    [Fact]
    public void RepairMakesTheNeedWeakAndTheSymbolUnversioned()
    {
        string copy = CopyOfShipped();
        var before = ElfImage.Read(copy);
        var need = before.VersionNeeds().Single(n => n.Version == ElfVersionRepair.MissingVersion);
        Assert.False(need.Weak);
        Assert.Equal("libstdc++.so.6", need.File);
        var symbol = before.DynamicSymbols().Single(s => s.Name == ElfVersionRepair.UnusedSymbol);
        Assert.Equal(need.Index, symbol.VersionIndex);

        Assert.Equal(ElfRepairOutcome.Repaired, ElfVersionRepair.Repair(copy));

        var after = ElfImage.Read(copy);
        Assert.True(after.VersionNeeds().Single(n => n.Version == ElfVersionRepair.MissingVersion).Weak);
        Assert.Equal(1, after.DynamicSymbols().Single(s => s.Name == ElfVersionRepair.UnusedSymbol).VersionIndex);
        Assert.DoesNotContain(after.DynamicSymbols(), s => (s.VersionIndex & 0x7fff) == need.Index);
        // Nothing else moved: only the two 16-bit fields differ.
        var a = File.ReadAllBytes(ShippedLibrary());
        var b = File.ReadAllBytes(copy);
        Assert.Equal(a.Length, b.Length);
        Assert.InRange(Enumerable.Range(0, a.Length).Count(i => a[i] != b[i]), 1, 4);
    }

    [Fact]
    public void RepairIsIdempotent()
    {
        string copy = CopyOfShipped();
        ElfVersionRepair.Repair(copy);
        var once = File.ReadAllBytes(copy);
        Assert.Equal(ElfRepairOutcome.AlreadyRepaired, ElfVersionRepair.Repair(copy));
        Assert.Equal(once, File.ReadAllBytes(copy));
    }

    [Fact]
    public void ReadelfAgreesWithTheRepair()
    {
        // An independent reader (binutils' readelf) sees the weak flag and the unversioned symbol.
        string copy = CopyOfShipped();
        ElfVersionRepair.Repair(copy);
        string versions = Run("readelf", $"-V -W {copy}");
        Assert.Matches(@"Name: GLIBCXX_3\.4\.32\s+Flags: WEAK", versions);
        string symbols = Run("readelf", $"--dyn-syms -W {copy}");
        var line = symbols.Split('\n').Single(l => l.Contains(ElfVersionRepair.UnusedSymbol));
        Assert.DoesNotContain("@GLIBCXX_3.4.32", line);
    }

    [Fact]
    public void TheBuildOutputCopyIsRepairedAndTheCacheIsNot()
    {
        string output = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(output), $"expected the build to copy {output}");
        bool hostHasVersion = ElfVersionRepair.HostLibStdCxxDefines(ElfVersionRepair.MissingVersion);
        Assert.Equal(!hostHasVersion, ElfImage.Read(output).VersionNeeds().Single(n => n.Version == ElfVersionRepair.MissingVersion).Weak);
        Assert.False(ElfImage.Read(ShippedLibrary()).VersionNeeds().Single(n => n.Version == ElfVersionRepair.MissingVersion).Weak);
    }

    [Fact]
    public void FilesThatAreNotTheExpectedElfAreRefusedWithTheReason()
    {
        string text = Path.Combine(_folder, "not-elf.so");
        File.WriteAllText(text, "this is not a shared library");
        var e = Assert.Throws<ElfFormatException>(() => ElfVersionRepair.Repair(text));
        Assert.Contains("not an ELF file", e.Message);
        Assert.Contains(text, e.Message);

        string truncated = Path.Combine(_folder, "truncated.so");
        File.WriteAllBytes(truncated, File.ReadAllBytes(ShippedLibrary()).AsSpan(0, 4096).ToArray());
        e = Assert.Throws<ElfFormatException>(() => ElfVersionRepair.Repair(truncated));
        Assert.Contains("truncated", e.Message);

        string elf32 = Path.Combine(_folder, "elf32.so");
        var bytes = File.ReadAllBytes(ShippedLibrary()).AsSpan(0, 64).ToArray();
        bytes[4] = 1;
        File.WriteAllBytes(elf32, bytes);
        e = Assert.Throws<ElfFormatException>(() => ElfVersionRepair.Repair(elf32));
        Assert.Contains("64-bit", e.Message);
    }

    [Fact]
    public void ALibraryThatNeverNeededTheVersionIsLeftAlone()
    {
        string libc = Path.Combine(_folder, "libc.so.6");
        File.Copy("/lib/x86_64-linux-gnu/libc.so.6", libc);
        var before = File.ReadAllBytes(libc);
        Assert.Equal(ElfRepairOutcome.NotNeeded, ElfVersionRepair.Repair(libc));
        Assert.Equal(before, File.ReadAllBytes(libc));
    }

    private static string Run(string program, string arguments)
    {
        var info = new System.Diagnostics.ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = System.Diagnostics.Process.Start(info) ?? throw new InvalidOperationException($"cannot start {program}");
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {arguments} failed: {process.StandardError.ReadToEnd()}");
        return output;
    }
}
