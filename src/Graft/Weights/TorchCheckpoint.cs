using System.IO.Compression;
using System.Text;
using Graft.Weights.Pickle;
using Graft.Weights.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Weights;

/// <summary>
/// Reads PyTorch checkpoints written by <c>torch.save</c> (PyTorch 1.6 and later): a zip archive holding
/// <c>&lt;name&gt;/data.pkl</c> (the pickled object), <c>&lt;name&gt;/data/&lt;key&gt;</c> (one record per storage)
/// and <c>&lt;name&gt;/version</c>. The pickle is read by <see cref="RestrictedUnpickler"/>, which refuses every
/// global except the few that describe tensors and dicts, so loading a checkpoint never runs code from it.
/// </summary>
public static class TorchCheckpoint
{
    private const int MaxSearchDepth = 4;

    /// <summary>
    /// Reads the state dict in a checkpoint onto the CPU. Tensors that are views (strided, offset, or sharing one
    /// storage) become independent contiguous tensors.
    /// </summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="entry">
    /// Where the state dict sits when the file holds more than a state dict: a key path such as "state_dict",
    /// "model" or "checkpoint/ema". When null, the file's top-level dict is used if it holds only tensors,
    /// otherwise the single nested dict that holds only tensors (an error lists the candidates if there are several).
    /// </param>
    /// <exception cref="UnsafePickleException">When the pickle names a global outside the allow-list.</exception>
    /// <exception cref="WeightFileException">When the file is not a readable checkpoint or holds no such state dict.</exception>
    public static StateDict Read(string path, string? entry = null)
    {
        using FileStream stream = OpenFile(path);
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new WeightFileException(path, $"is not a readable zip archive ({e.Message}); PyTorch checkpoints are zip files since PyTorch 1.6.", e);
        }
        using (archive)
        {
            try
            {
                var reader = new ArchiveReader(path, archive);
                object? root = reader.Unpickle();
                var (dict, where) = SelectStateDict(path, root, entry);
                StateDict result = reader.Materialize(dict);
                if (where.Length > 0) result.Metadata["graft.checkpoint_entry"] = where;
                return result;
            }
            catch (Exception e) when (e is InvalidDataException or IOException && e is not WeightFileException)
            {
                throw new WeightFileException(path, $"the zip archive is truncated or corrupt ({e.Message}).", e);
            }
        }
    }

    private static FileStream OpenFile(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WeightFileException(path, $"cannot be opened ({e.Message}).", e);
        }
    }

    /// <summary>Finds the dict of tensors the caller wants inside whatever the checkpoint holds.</summary>
    private static (PickleDict Dict, string Where) SelectStateDict(string path, object? root, string? entry)
    {
        if (entry is not null)
        {
            object? node = root;
            var walked = new List<string>();
            foreach (string key in entry.Split('/'))
            {
                if (node is not PickleDict dict || !dict.TryGetValue(key, out object? child))
                {
                    string at = walked.Count == 0 ? "the top level" : $"'{string.Join('/', walked)}'";
                    throw new WeightFileException(path,
                        $"has no entry '{entry}': {at} {(node is PickleDict d ? $"holds the keys {KeyList(d)}" : $"is {PickleValues.Describe(node)}")}.");
                }
                walked.Add(key);
                node = child;
            }
            return node is PickleDict picked && IsStateDict(picked)
                ? (picked, entry)
                : throw new WeightFileException(path, $"entry '{entry}' is not a dict of tensors ({Summarize(node)}).");
        }

        if (root is PickleDict top && IsStateDict(top)) return (top, "");
        var candidates = new List<(string Path, PickleDict Dict)>();
        FindStateDicts(root, "", 0, candidates, new HashSet<object>(ReferenceEqualityComparer.Instance));
        return candidates.Count switch
        {
            1 => (candidates[0].Dict, candidates[0].Path),
            0 => throw new WeightFileException(path, $"holds no state dict (a dict whose values are all tensors); it holds {Summarize(root)}."),
            _ => throw new WeightFileException(path,
                $"holds several state dicts ({string.Join(", ", candidates.Select(c => $"'{c.Path}'"))}); " +
                "say which one to load with the entry argument, e.g. entry: \"" + candidates[0].Path + "\"."),
        };
    }

    private static void FindStateDicts(object? node, string path, int depth, List<(string, PickleDict)> found, HashSet<object> seen)
    {
        if (node is not PickleDict dict || depth > MaxSearchDepth || !seen.Add(dict)) return;
        foreach (var (key, value) in dict.Entries)
        {
            if (key is not string name || value is not PickleDict child) continue;
            string childPath = path.Length == 0 ? name : $"{path}/{name}";
            if (IsStateDict(child)) found.Add((childPath, child));
            else FindStateDicts(child, childPath, depth + 1, found, seen);
        }
    }

    private static bool IsStateDict(PickleDict dict) =>
        dict.Count > 0 && dict.Entries.All(kv => kv.Key is string && kv.Value is TorchTensorReference);

    private static string KeyList(PickleDict dict) =>
        dict.Count == 0 ? "(none)" : string.Join(", ", dict.Entries.Take(12).Select(kv => kv.Key is string s ? $"'{s}'" : PickleValues.Describe(kv.Key)))
                                   + (dict.Count > 12 ? ", …" : "");

    private static string Summarize(object? node) =>
        node is PickleDict dict ? $"a dict with the keys {KeyList(dict)}" : PickleValues.Describe(node);

    /// <summary>One open archive: finds its records, unpickles data.pkl, and reads storages into tensors.</summary>
    private sealed class ArchiveReader
    {
        private readonly string _path;
        private readonly ZipArchive _archive;
        private readonly string _prefix;
        private readonly bool _bigEndian;
        private readonly Dictionary<string, TorchStorageReference> _storages = new(StringComparer.Ordinal);

        public ArchiveReader(string path, ZipArchive archive)
        {
            _path = path;
            _archive = archive;
            var pickles = archive.Entries
                .Where(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && e.FullName.IndexOf('/') == e.FullName.Length - "/data.pkl".Length)
                .ToList();
            if (pickles.Count != 1)
                throw new WeightFileException(path,
                    pickles.Count == 0
                        ? "is a zip archive but not a PyTorch checkpoint: it has no '<name>/data.pkl' record."
                        : $"holds {pickles.Count} '<name>/data.pkl' records; a torch.save checkpoint has one.");
            _prefix = pickles[0].FullName[..^"data.pkl".Length];
            if (archive.GetEntry(_prefix + "constants.pkl") is not null || archive.Entries.Any(e => e.FullName.StartsWith(_prefix + "code/", StringComparison.Ordinal)))
                throw new WeightFileException(path,
                    "is a TorchScript archive (torch.jit.save), not a torch.save checkpoint. In Python, save the weights with " +
                    "torch.save(torch.jit.load(path).state_dict(), new_path).");
            string byteOrder = ReadText("byteorder") ?? "little";
            _bigEndian = byteOrder switch
            {
                "little" => false,
                "big" => true,
                _ => throw new WeightFileException(path, $"record '{_prefix}byteorder' says '{byteOrder}', expected 'little' or 'big'."),
            };
        }

        public object? Unpickle()
        {
            ZipArchiveEntry pickle = _archive.GetEntry(_prefix + "data.pkl")!;
            if (pickle.Length > int.MaxValue) throw new WeightFileException(_path, "its data.pkl record is larger than 2 GB.");
            var bytes = new byte[pickle.Length];
            using (Stream s = pickle.Open()) s.ReadExactly(bytes);
            return new RestrictedUnpickler(_path, TorchPickleGlobals.Resolve, LoadPersistent).Load(bytes);
        }

        /// <summary>
        /// Reads the tensors of <paramref name="dict"/>, one storage at a time. A storage viewed by exactly one tensor
        /// that covers it contiguously is read straight into that tensor; others are read once, then each view copied out.
        /// </summary>
        public StateDict Materialize(PickleDict dict)
        {
            var views = dict.Entries.Select(kv => ((string)kv.Key!, (TorchTensorReference)kv.Value!)).ToList();
            var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            var result = new StateDict { SourcePath = _path };
            try
            {
                foreach (var group in views.GroupBy(v => v.Item2.Storage))
                {
                    TorchStorageReference storage = group.Key;
                    var members = group.ToList();
                    ZipArchiveEntry record = FindRecord(storage);
                    if (members.Count == 1 && members[0].Item2.CoversWholeStorageContiguously)
                    {
                        var (name, view) = members[0];
                        Tensor tensor = torch.empty(view.Size, storage.DType);
                        tensors[name] = tensor;
                        ReadRecord(record, tensor);
                        continue;
                    }
                    using Tensor whole = torch.empty([storage.ElementCount], storage.DType);
                    ReadRecord(record, whole);
                    foreach (var (name, view) in members)
                    {
                        using Tensor strided = whole.as_strided(view.Size, view.Stride, view.Offset);
                        Tensor copy = torch.empty(view.Size, storage.DType);
                        tensors[name] = copy;
                        copy.copy_(strided);
                    }
                }
                foreach (var (name, _) in views) result.Add(name, tensors[name]);
                return result;
            }
            catch
            {
                foreach (Tensor tensor in tensors.Values) tensor.Dispose();
                throw;
            }
        }

        /// <summary>The record holding <paramref name="storage"/>, checked to be large enough before anything is allocated.</summary>
        private ZipArchiveEntry FindRecord(TorchStorageReference storage)
        {
            string recordName = $"{_prefix}data/{storage.Key}";
            ZipArchiveEntry record = _archive.GetEntry(recordName)
                ?? throw new WeightFileException(_path, $"the pickle refers to storage '{storage.Key}' but the archive has no record '{recordName}'.");
            long needed;
            try
            {
                needed = checked(storage.ElementCount * WeightDTypes.SizeOf(storage.DType));
            }
            catch (OverflowException)
            {
                throw new WeightFileException(_path, $"storage '{storage.Key}' claims an impossible {storage.ElementCount} elements.");
            }
            if (record.Length < needed)
                throw new WeightFileException(_path,
                    $"record '{recordName}' holds {record.Length} bytes, but its storage of {storage.ElementCount} {storage.DType} elements needs {needed}.");
            // torch.save stores records uncompressed; a compressed one must not claim more than deflate can expand to.
            if (record.CompressedLength != record.Length && record.Length / 1100 > record.CompressedLength)
                throw new WeightFileException(_path, $"record '{recordName}' claims {record.Length} bytes from {record.CompressedLength} compressed; refusing it.");
            return record;
        }

        private void ReadRecord(ZipArchiveEntry record, Tensor destination)
        {
            using Stream data = record.Open();
            try
            {
                TensorBytes.Fill(destination, data);
            }
            catch (EndOfStreamException e)
            {
                throw new WeightFileException(_path, $"record '{record.FullName}' ends early; the file is truncated.", e);
            }
            if (_bigEndian) TensorBytes.SwapByteOrder(destination);
        }

        /// <summary>A persistent id ('storage', storage class, key, location, element count) names an archive record.</summary>
        private object? LoadPersistent(object? id)
        {
            if (id is not object?[] { Length: 5 } fields || fields[0] is not "storage")
                throw new InvalidDataException($"unknown persistent id {PickleValues.Describe(id)}; torch.save writes ('storage', type, key, location, size).");
            if (fields[1] is not PickleTypeToken { Tag: ScalarType dtype } type)
                throw new InvalidDataException($"persistent id names {PickleValues.Describe(fields[1])} where a torch storage class belongs.");
            if (fields[2] is not string key || fields[4] is not long count || count < 0)
                throw new InvalidDataException("persistent id needs a string key and a non-negative element count.");
            if (_storages.TryGetValue(key, out TorchStorageReference? known))
            {
                if (known.DType != dtype || known.ElementCount != count)
                    throw new InvalidDataException($"storage '{key}' is described twice, differently ({known.DType}×{known.ElementCount} and {type.QualifiedName}×{count}).");
                return known;
            }
            var storage = new TorchStorageReference(key, dtype, count);
            _storages.Add(key, storage);
            return storage;
        }

        private string? ReadText(string record)
        {
            ZipArchiveEntry? entry = _archive.GetEntry(_prefix + record);
            if (entry is null) return null;
            if (entry.Length > 1024) throw new WeightFileException(_path, $"record '{entry.FullName}' is implausibly large.");
            using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
            return reader.ReadToEnd().Trim();
        }
    }
}
