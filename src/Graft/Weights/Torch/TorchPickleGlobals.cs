using System.Text;
using Graft.Weights.Pickle;

namespace Graft.Weights.Torch;

/// <summary>
/// The allow-list of Python globals a <c>torch.save</c> state dict may name, each with a C# stand-in that builds a
/// plain value. Everything else (e.g. <c>os.system</c>, <c>builtins.eval</c>) is refused by the unpickler.
/// </summary>
internal static class TorchPickleGlobals
{
    private static readonly Dictionary<string, object> Allowed = BuildAllowList();

    /// <summary>The allowed globals as "module.name", for documentation and tests.</summary>
    public static IReadOnlyCollection<string> Names => Allowed.Keys;

    /// <summary>The resolver to give <see cref="RestrictedUnpickler"/>: the stand-in, or null to refuse.</summary>
    public static object? Resolve(string module, string name) =>
        Allowed.GetValueOrDefault($"{module}.{name}");

    private static Dictionary<string, object> BuildAllowList()
    {
        var list = new Dictionary<string, object>(StringComparer.Ordinal);
        void Callable(string name, Func<object?[], object?> build) => list[name] = new PickleCallable(name, build);
        void Token(string name, object? tag = null) => list[name] = new PickleTypeToken(name, tag);

        Callable("collections.OrderedDict", NewOrderedDict);
        Callable("torch._utils._rebuild_tensor_v2", RebuildTensor);
        Callable("torch._utils._rebuild_parameter", args => ParameterData(args, 3));
        Callable("torch._utils._rebuild_parameter_with_state", args => ParameterData(args, 4));
        Callable("torch._tensor._rebuild_from_type_v2", RebuildFromType);
        // Python 3 pickles bytes for protocol 2 as _codecs.encode(text, "latin1").
        Callable("_codecs.encode", EncodeLatin1);
        foreach (var (className, type) in WeightDTypes.TorchStorageClasses) Token($"torch.{className}", type);
        Token("torch.Tensor");
        Token("torch._tensor.Tensor");
        Token("torch.nn.parameter.Parameter");
        return list;
    }

    private static PickleDict NewOrderedDict(object?[] args)
    {
        var dict = new PickleDict();
        if (args.Length == 0) return dict;
        if (args.Length != 1 || args[0] is not List<object?> pairs)
            throw new InvalidDataException("collections.OrderedDict takes no arguments or one list of pairs.");
        foreach (object? pair in pairs)
        {
            if (pair is not object?[] { Length: 2 } kv) throw new InvalidDataException("collections.OrderedDict items must be (key, value) pairs.");
            dict.Set(kv[0], kv[1]);
        }
        return dict;
    }

    /// <summary><c>_rebuild_tensor_v2(storage, offset, size, stride, requires_grad, backward_hooks[, metadata])</c>.</summary>
    private static TorchTensorReference RebuildTensor(object?[] args)
    {
        const string Function = "torch._utils._rebuild_tensor_v2";
        if (args.Length is < 6 or > 7) throw new InvalidDataException($"{Function} takes 6 or 7 arguments, got {args.Length}.");
        if (args[0] is not TorchStorageReference storage)
            throw new InvalidDataException($"{Function}: the first argument must be a storage, not {PickleValues.Describe(args[0])}.");
        if (args[1] is not long offset || offset < 0)
            throw new InvalidDataException($"{Function}: the storage offset must be a non-negative int, not {PickleValues.Describe(args[1])}.");
        long[] size = Dimensions(args[2], Function, "size");
        long[] stride = Dimensions(args[3], Function, "stride");
        if (size.Length != stride.Length)
            throw new InvalidDataException($"{Function}: size has {size.Length} dimensions but stride has {stride.Length}.");

        var tensor = new TorchTensorReference(storage, offset, size, stride);
        long count = tensor.ElementCount;
        // Only stride-0 (expanded) views hold more elements than their storage; they are materialised, so cap them.
        if (count > Math.Max(storage.ElementCount, 1L << 20) * 16)
            throw new InvalidDataException(
                $"a tensor of size [{string.Join(", ", size)}] over storage '{storage.Key}' of {storage.ElementCount} elements is implausibly large.");
        if (count > 0)
        {
            long last = offset;
            for (int i = 0; i < size.Length; i++) last = checked(last + (size[i] - 1) * stride[i]);
            if (last >= storage.ElementCount)
                throw new InvalidDataException(
                    $"a tensor of size [{string.Join(", ", size)}], stride [{string.Join(", ", stride)}] at offset {offset} reaches element {last}, " +
                    $"past the end of storage '{storage.Key}' ({storage.ElementCount} elements).");
        }
        return tensor;
    }

    private static long[] Dimensions(object? value, string function, string what)
    {
        if (value is not object?[] items) throw new InvalidDataException($"{function}: {what} must be a tuple, not {PickleValues.Describe(value)}.");
        var dims = new long[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            if (items[i] is not long dim || dim < 0)
                throw new InvalidDataException($"{function}: {what} must hold non-negative ints, found {PickleValues.Describe(items[i])}.");
            dims[i] = dim;
        }
        return dims;
    }

    private static TorchTensorReference ParameterData(object?[] args, int expected)
    {
        if (args.Length != expected || args[0] is not TorchTensorReference data)
            throw new InvalidDataException($"a parameter must be rebuilt from a tensor and {expected - 1} more arguments.");
        return data;
    }

    /// <summary><c>_rebuild_from_type_v2(func, new_type, args, state)</c>: tensor subclasses; the data is what matters.</summary>
    private static object? RebuildFromType(object?[] args)
    {
        if (args.Length != 4 || args[0] is not PickleCallable function || args[1] is not PickleTypeToken || args[2] is not object?[] inner)
            throw new InvalidDataException("torch._tensor._rebuild_from_type_v2 needs (function, tensor type, arguments, state).");
        return function.Build(inner);
    }

    private static byte[] EncodeLatin1(object?[] args)
    {
        if (args is not [string text, string encoding] || encoding is not ("latin1" or "latin-1"))
            throw new InvalidDataException("_codecs.encode is only accepted as (text, 'latin1'), the way pickle stores bytes.");
        return Encoding.Latin1.GetBytes(text);
    }
}
