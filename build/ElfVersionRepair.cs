// Build-time repair of TorchSharp's native shim so that it loads on Debian 12 / Ubuntu 22.04.
//
// libLibTorchSharp.so (TorchSharp 0.107) was linked against GCC 13's libstdc++, whose <iostream> makes every
// object file reference `std::ios_base_library_init()` at version GLIBCXX_3.4.32. Nothing calls it, but the
// dynamic loader refuses the library on hosts whose libstdc++ stops at GLIBCXX_3.4.30 ("version
// `GLIBCXX_3.4.32' not found"). The repair, applied to the build output's copy only:
//   1. the symbol's entry in .gnu.version becomes VER_NDX_GLOBAL (no version required), and
//   2. the GLIBCXX_3.4.32 entry of .gnu.version_r gets VER_FLG_WEAK, so a missing version is not fatal.
// The same file is compiled twice: as an MSBuild inline task (build/Graft.targets) and into the tests, which
// define GRAFT_ELF_NO_TASK to leave out the MSBuild wrapper at the bottom.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace Graft.Build
{
    /// <summary>What <see cref="ElfVersionRepair.Repair"/> did to a file.</summary>
    public enum ElfRepairOutcome
    {
        /// <summary>The file never needed the version: nothing to do.</summary>
        NotNeeded,
        /// <summary>The file was changed in place.</summary>
        Repaired,
        /// <summary>An earlier run had already repaired the file.</summary>
        AlreadyRepaired,
    }

    /// <summary>The file is not the 64-bit little-endian ELF shared object the repair expects.</summary>
    public sealed class ElfFormatException : Exception
    {
        public ElfFormatException(string path, string message)
            : base($"{path}: {message}") { }
    }

    /// <summary>One version a shared object needs from another (an ELF Vernaux entry).</summary>
    public sealed class ElfVersionNeed
    {
        public ElfVersionNeed(string file, string version, ushort index, ushort flags, long flagsOffset)
        {
            File = file; Version = version; Index = index; Flags = flags; FlagsOffset = flagsOffset;
        }

        /// <summary>The library that must provide the version (e.g. libstdc++.so.6).</summary>
        public string File { get; }
        public string Version { get; }
        /// <summary>The index symbols use in .gnu.version to refer to this version.</summary>
        public ushort Index { get; }
        public ushort Flags { get; }
        /// <summary>File offset of the vna_flags field.</summary>
        public long FlagsOffset { get; }

        /// <summary>VER_FLG_WEAK: the loader tolerates the version being absent.</summary>
        public bool Weak => (Flags & 0x2) != 0;
    }

    /// <summary>One dynamic symbol with the version index it carries in .gnu.version.</summary>
    public sealed class ElfDynamicSymbol
    {
        public ElfDynamicSymbol(string name, ushort versionIndex, long versionOffset)
        {
            Name = name; VersionIndex = versionIndex; VersionOffset = versionOffset;
        }

        public string Name { get; }
        /// <summary>The symbol's .gnu.version entry: 0 local, 1 global (unversioned), else a version index.</summary>
        public ushort VersionIndex { get; }
        /// <summary>File offset of that entry.</summary>
        public long VersionOffset { get; }
    }

    /// <summary>Reads the parts of an ELF64 little-endian shared object that symbol versioning uses.</summary>
    public sealed class ElfImage
    {
        private const uint ShtDynsym = 11;
        private const uint ShtGnuVerneed = 0x6ffffffe;
        private const uint ShtGnuVerdef = 0x6ffffffd;
        private const uint ShtGnuVersym = 0x6fffffff;

        private readonly string _path;
        private readonly byte[] _bytes;
        private readonly List<Section> _sections = new List<Section>();

        private ElfImage(string path, byte[] bytes)
        {
            _path = path;
            _bytes = bytes;
            ReadSectionHeaders();
        }

        /// <summary>Reads <paramref name="path"/>; throws <see cref="ElfFormatException"/> if it is not ELF64 LE.</summary>
        public static ElfImage Read(string path) => new ElfImage(path, File.ReadAllBytes(path));

        /// <summary>Versions this object needs from the libraries it links against (.gnu.version_r).</summary>
        public IReadOnlyList<ElfVersionNeed> VersionNeeds()
        {
            var needs = new List<ElfVersionNeed>();
            foreach (var section in _sections)
            {
                if (section.Type != ShtGnuVerneed) continue;
                var strings = StringTable(section.Link);
                long entry = section.Offset;
                for (uint i = 0; i < section.Info; i++)
                {
                    ushort count = U16(entry + 2);
                    string file = strings(U32(entry + 4));
                    long aux = entry + U32(entry + 8);
                    for (int j = 0; j < count; j++)
                    {
                        ushort flags = U16(aux + 4);
                        ushort index = U16(aux + 6);
                        string name = strings(U32(aux + 8));
                        needs.Add(new ElfVersionNeed(file, name, index, flags, aux + 4));
                        uint nextAux = U32(aux + 12);
                        if (nextAux == 0) break;
                        aux += nextAux;
                    }
                    uint next = U32(entry + 12);
                    if (next == 0) break;
                    entry += next;
                }
            }
            return needs;
        }

        /// <summary>Versions this object defines (.gnu.version_d), e.g. GLIBCXX_3.4.30 for libstdc++.</summary>
        public IReadOnlyList<string> VersionDefinitions()
        {
            var names = new List<string>();
            foreach (var section in _sections)
            {
                if (section.Type != ShtGnuVerdef) continue;
                var strings = StringTable(section.Link);
                long entry = section.Offset;
                for (uint i = 0; i < section.Info; i++)
                {
                    ushort auxCount = U16(entry + 6);
                    if (auxCount > 0) names.Add(strings(U32(entry + U32(entry + 12))));
                    uint next = U32(entry + 16);
                    if (next == 0) break;
                    entry += next;
                }
            }
            return names;
        }

        /// <summary>Dynamic symbols paired with their .gnu.version entries.</summary>
        public IReadOnlyList<ElfDynamicSymbol> DynamicSymbols()
        {
            Section? dynsym = null, versym = null;
            foreach (var s in _sections)
            {
                if (s.Type == ShtDynsym) dynsym = s;
                if (s.Type == ShtGnuVersym) versym = s;
            }
            if (dynsym is null || versym is null)
                throw new ElfFormatException(_path, "no .dynsym or .gnu.version section: not a versioned shared object");
            var strings = StringTable(dynsym.Link);
            long count = dynsym.Size / 24;
            if (versym.Size < count * 2)
                throw new ElfFormatException(_path, ".gnu.version is shorter than .dynsym");
            var symbols = new List<ElfDynamicSymbol>((int)count);
            for (long i = 0; i < count; i++)
            {
                string name = strings(U32(dynsym.Offset + i * 24));
                long versionOffset = versym.Offset + i * 2;
                symbols.Add(new ElfDynamicSymbol(name, U16(versionOffset), versionOffset));
            }
            return symbols;
        }

        /// <summary>Writes a 16-bit value at a file offset in the in-memory image.</summary>
        internal void PatchU16(long offset, ushort value)
        {
            _bytes[offset] = (byte)value;
            _bytes[offset + 1] = (byte)(value >> 8);
        }

        /// <summary>Saves the image over its file through a temporary name, so a crash never leaves a torn file.</summary>
        internal void Save()
        {
            // (Written for netstandard2.0, which MSBuild's inline tasks compile against: File.Copy keeps the mode bits.)
            string temp = _path + ".graft-tmp";
            File.Copy(_path, temp, overwrite: true);
            File.WriteAllBytes(temp, _bytes);
            File.Replace(temp, _path, destinationBackupFileName: null);
        }

        private void ReadSectionHeaders()
        {
            if (_bytes.Length < 64 || _bytes[0] != 0x7f || _bytes[1] != (byte)'E' || _bytes[2] != (byte)'L' || _bytes[3] != (byte)'F')
                throw new ElfFormatException(_path, "not an ELF file (no \\x7fELF magic)");
            if (_bytes[4] != 2) throw new ElfFormatException(_path, "not a 64-bit ELF file (EI_CLASS is not ELFCLASS64)");
            if (_bytes[5] != 1) throw new ElfFormatException(_path, "not a little-endian ELF file (EI_DATA is not ELFDATA2LSB)");
            if (U16(16) != 3) throw new ElfFormatException(_path, $"not a shared object (e_type is {U16(16)}, expected ET_DYN = 3)");
            long shoff = (long)U64(0x28);
            ushort shentsize = U16(0x3a), shnum = U16(0x3c);
            if (shentsize != 64 || shnum == 0 || shoff <= 0 || shoff + (long)shnum * 64 > _bytes.Length)
                throw new ElfFormatException(_path, "section header table is missing or lies outside the file (truncated?)");
            for (int i = 0; i < shnum; i++)
            {
                long h = shoff + i * 64L;
                var s = new Section(U32(h + 4), (long)U64(h + 24), (long)U64(h + 32), U32(h + 40), U32(h + 44));
                if (s.Type != 8 /* SHT_NOBITS */ && (s.Offset < 0 || s.Size < 0 || s.Offset + s.Size > _bytes.Length))
                    throw new ElfFormatException(_path, $"section {i} lies outside the file (truncated?)");
                _sections.Add(s);
            }
        }

        private Func<uint, string> StringTable(uint sectionIndex)
        {
            if (sectionIndex >= _sections.Count) throw new ElfFormatException(_path, $"string table index {sectionIndex} out of range");
            var table = _sections[(int)sectionIndex];
            return offset =>
            {
                if (offset >= table.Size) throw new ElfFormatException(_path, $"string offset {offset} outside its table");
                long start = table.Offset + offset, end = start;
                while (end < table.Offset + table.Size && _bytes[end] != 0) end++;
                return Encoding.ASCII.GetString(_bytes, (int)start, (int)(end - start));
            };
        }

        private ushort U16(long o) => Check(o, 2) ? (ushort)(_bytes[o] | _bytes[o + 1] << 8) : (ushort)0;
        private uint U32(long o) => Check(o, 4) ? BitConverter.ToUInt32(_bytes, (int)o) : 0;
        private ulong U64(long o) => Check(o, 8) ? BitConverter.ToUInt64(_bytes, (int)o) : 0;

        private bool Check(long offset, int width)
        {
            if (offset < 0 || offset + width > _bytes.Length)
                throw new ElfFormatException(_path, $"read of {width} bytes at offset {offset} runs past the end of the file (truncated?)");
            return true;
        }

        private sealed class Section
        {
            public Section(uint type, long offset, long size, uint link, uint info)
            {
                Type = type; Offset = offset; Size = size; Link = link; Info = info;
            }

            public uint Type { get; }
            public long Offset { get; }
            public long Size { get; }
            public uint Link { get; }
            public uint Info { get; }
        }
    }

    /// <summary>The repair itself; see the comment at the top of this file.</summary>
    public static class ElfVersionRepair
    {
        /// <summary>The version GCC 13's libstdc++ introduced and Debian 12 lacks.</summary>
        public const string MissingVersion = "GLIBCXX_3.4.32";

        /// <summary>The one symbol that asks for <see cref="MissingVersion"/>; referenced, never called.</summary>
        public const string UnusedSymbol = "_ZSt21ios_base_library_initv";

        private const ushort VerNdxGlobal = 1;
        private const ushort VerFlgWeak = 0x2;

        /// <summary>
        /// Makes <paramref name="path"/> loadable without <see cref="MissingVersion"/>. Idempotent. Refuses (with
        /// <see cref="ElfFormatException"/>) a file where any symbol other than <see cref="UnusedSymbol"/> needs
        /// that version, since weakening it would then hide a real dependency.
        /// </summary>
        public static ElfRepairOutcome Repair(string path)
        {
            var image = ElfImage.Read(path);
            ElfVersionNeed? need = null;
            foreach (var n in image.VersionNeeds())
                if (n.Version == MissingVersion) need = n;
            if (need is null) return ElfRepairOutcome.NotNeeded;

            var toClear = new List<ElfDynamicSymbol>();
            foreach (var symbol in image.DynamicSymbols())
            {
                if ((symbol.VersionIndex & 0x7fff) != need.Index) continue;
                if (symbol.Name != UnusedSymbol)
                    throw new ElfFormatException(path,
                        $"symbol '{symbol.Name}' also needs {MissingVersion}; only '{UnusedSymbol}' is known to be safe to unversion. " +
                        "This TorchSharp build needs a newer libstdc++ (GCC 13 or later).");
                toClear.Add(symbol);
            }
            if (need.Weak && toClear.Count == 0) return ElfRepairOutcome.AlreadyRepaired;

            foreach (var symbol in toClear) image.PatchU16(symbol.VersionOffset, VerNdxGlobal);
            image.PatchU16(need.FlagsOffset, (ushort)(need.Flags | VerFlgWeak));
            // Written through a new file and a rename: a hard link into the NuGet cache is broken, never written through.
            image.Save();
            return ElfRepairOutcome.Repaired;
        }

        /// <summary>True if the libstdc++ that the loader would pick defines <paramref name="version"/>.</summary>
        public static bool HostLibStdCxxDefines(string version)
        {
            foreach (var candidate in LibStdCxxCandidates())
            {
                if (!File.Exists(candidate)) continue;
                try { return ElfImage.Read(candidate).VersionDefinitions().Contains(version); }
                catch (ElfFormatException) { }
            }
            return false;
        }

        private static IEnumerable<string> LibStdCxxCandidates()
        {
            foreach (var dir in new[] { "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib" })
                yield return Path.Combine(dir, "libstdc++.so.6");
        }

    }

#if !GRAFT_ELF_NO_TASK
    /// <summary>MSBuild task: repairs every libLibTorchSharp.so under a folder when the host needs it.</summary>
    public sealed class RepairLibTorchSharp : Microsoft.Build.Utilities.Task
    {
        /// <summary>Folder to search (the build or publish output).</summary>
        [Microsoft.Build.Framework.Required]
        public string Directory { get; set; } = "";

        public override bool Execute()
        {
            if (!System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux)
                || !System.IO.Directory.Exists(Directory)) return true;
            if (ElfVersionRepair.HostLibStdCxxDefines(ElfVersionRepair.MissingVersion))
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low,
                    $"Graft: host libstdc++ has {ElfVersionRepair.MissingVersion}; libLibTorchSharp.so left as shipped.");
                return true;
            }
            foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "libLibTorchSharp.so", SearchOption.AllDirectories))
            {
                try
                {
                    var outcome = ElfVersionRepair.Repair(file);
                    Log.LogMessage(outcome == ElfRepairOutcome.Repaired
                        ? Microsoft.Build.Framework.MessageImportance.Normal
                        : Microsoft.Build.Framework.MessageImportance.Low, $"Graft: {file}: {outcome}");
                }
                catch (Exception e) when (e is ElfFormatException || e is IOException || e is UnauthorizedAccessException)
                {
                    Log.LogError($"Graft: cannot repair {file} for this host's libstdc++: {e.Message}");
                }
            }
            return !Log.HasLoggedErrors;
        }
    }
#endif
}
