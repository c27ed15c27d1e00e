using System.Collections;
using System.Diagnostics.CodeAnalysis;
using TorchSharp;
using static TorchSharp.torch;

namespace Graft.Weights;

/// <summary>
/// Named tensors, as in a PyTorch <c>state_dict</c>: what weight files hold and what modules load. Keeps keys in
/// insertion order. Owns its tensors: they are detached from any dispose scope when added and disposed with the
/// dictionary (or when replaced or removed), so load one, copy it into a model, then dispose it.
/// </summary>
public sealed class StateDict : IReadOnlyDictionary<string, Tensor>, IDisposable
{
    private readonly Dictionary<string, Tensor> _tensors = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private bool _disposed;

    /// <summary>Free-form strings saved with the tensors (safetensors <c>__metadata__</c>).</summary>
    public Dictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);

    /// <summary>The file the tensors came from, when they came from one (used in error messages).</summary>
    public string? SourcePath { get; init; }

    /// <inheritdoc/>
    public int Count => _tensors.Count;

    /// <summary>The keys, in insertion order.</summary>
    public IEnumerable<string> Keys => _order.AsReadOnly();

    /// <summary>The tensors, in key order.</summary>
    public IEnumerable<Tensor> Values => _order.Select(k => _tensors[k]);

    /// <inheritdoc/>
    /// <exception cref="KeyNotFoundException">When there is no tensor named <paramref name="key"/>.</exception>
    public Tensor this[string key] =>
        _tensors.TryGetValue(key, out Tensor? tensor)
            ? tensor
            : throw new KeyNotFoundException($"The state dict{Describe()} has no tensor '{key}'.");

    /// <summary>
    /// Loads a weight file, recognising its format by content rather than extension: safetensors, or a PyTorch
    /// checkpoint written by <c>torch.save</c>. For checkpoints that nest the state dict (<c>{"state_dict": …}</c>),
    /// <paramref name="entry"/> picks the inner dict by key path ("model" or "checkpoint/ema"); without it a
    /// single nested state dict is found automatically.
    /// </summary>
    /// <exception cref="WeightFileException">When the file is missing, corrupt, unsafe or of an unknown format.</exception>
    public static StateDict Load(string path, string? entry = null)
    {
        WeightFormat format = WeightFormatSniffer.Detect(path);
        return format switch
        {
            WeightFormat.SafeTensors when entry is null => SafeTensors.Read(path),
            WeightFormat.SafeTensors => throw new WeightFileException(path,
                $"is a safetensors file, which holds one flat set of tensors; there is no entry '{entry}' to pick."),
            WeightFormat.TorchZip => TorchCheckpoint.Read(path, entry),
            WeightFormat.TorchLegacy => throw new WeightFileException(path,
                "was written by torch.save in the legacy format of PyTorch < 1.6, which Graft does not read. " +
                "Re-save it with a recent PyTorch: torch.save(torch.load(path), new_path)."),
            _ => throw new WeightFileException(path,
                "is neither a safetensors file nor a PyTorch checkpoint (torch.save zip archive)."),
        };
    }

    /// <summary>
    /// Copies the parameters and buffers of <paramref name="module"/> (detached, on the CPU) into a new state dict,
    /// e.g. to save a fine-tuned model.
    /// </summary>
    public static StateDict FromModule(nn.Module module)
    {
        var result = new StateDict();
        using var scope = torch.NewDisposeScope(); // frees the intermediate handles; Add detaches each copy
        using (torch.no_grad())
        {
            foreach (var (name, tensor) in module.state_dict())
                result.Add(name, tensor.detach().cpu().clone());
        }
        return result;
    }

    /// <summary>Adds a tensor, taking ownership of it.</summary>
    /// <exception cref="ArgumentException">When <paramref name="name"/> is already present.</exception>
    public void Add(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(tensor);
        ThrowIfDisposed();
        if (_tensors.ContainsKey(name))
            throw new ArgumentException($"The state dict already holds a tensor named '{name}'.", nameof(name));
        _tensors.Add(name, tensor.DetachFromDisposeScope());
        _order.Add(name);
    }

    /// <summary>Adds or replaces a tensor, taking ownership of it and disposing the one it replaces.</summary>
    public void Set(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ThrowIfDisposed();
        if (_tensors.TryGetValue(name, out Tensor? old))
        {
            _tensors[name] = tensor.DetachFromDisposeScope();
            if (!ReferenceEquals(old, tensor)) old.Dispose();
        }
        else
        {
            Add(name, tensor);
        }
    }

    /// <summary>Removes and disposes a tensor.</summary>
    /// <returns>Whether the key was present.</returns>
    public bool Remove(string name)
    {
        ThrowIfDisposed();
        if (!_tensors.Remove(name, out Tensor? tensor)) return false;
        _order.Remove(name);
        tensor.Dispose();
        return true;
    }

    /// <summary>Saves the tensors as safetensors (written to a temporary file, then renamed).</summary>
    /// <param name="path">Destination file.</param>
    /// <param name="metadata">Strings to store; defaults to <see cref="Metadata"/>.</param>
    public void Save(string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ThrowIfDisposed();
        SafeTensors.Write(path, this, metadata ?? Metadata);
    }

    /// <summary>
    /// Copies these tensors into the parameters and buffers of <paramref name="module"/> (converting dtype and
    /// device as needed, without tracking gradients).
    /// </summary>
    /// <param name="module">The destination model.</param>
    /// <param name="strict">
    /// When true (the default), any missing, unexpected or shape-mismatched key throws, before anything is copied.
    /// When false, loads every key that matches and reports the rest (e.g. to load a backbone without its head).
    /// </param>
    /// <param name="remap">
    /// Maps a file key to a module key, or to null to ignore it (see <see cref="KeyRemap"/>).
    /// </param>
    /// <returns>What was loaded, missing, unexpected and mismatched.</returns>
    /// <exception cref="StateDictMismatchException">In strict mode, when the keys or shapes do not match.</exception>
    public LoadReport LoadInto(nn.Module module, bool strict = true, Func<string, string?>? remap = null)
    {
        ThrowIfDisposed();
        return ModuleStateLoader.Load(this, module, strict, remap);
    }

    /// <inheritdoc/>
    public bool ContainsKey(string key) => _tensors.ContainsKey(key);

    /// <inheritdoc/>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out Tensor value) => _tensors.TryGetValue(key, out value);

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator() =>
        _order.Select(k => new KeyValuePair<string, Tensor>(k, _tensors[k])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Disposes every tensor.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (Tensor tensor in _tensors.Values) tensor.Dispose();
        _tensors.Clear();
        _order.Clear();
    }

    internal string Describe() => SourcePath is null ? "" : $" loaded from {SourcePath}";

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
