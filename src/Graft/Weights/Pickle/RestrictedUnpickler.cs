using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace Graft.Weights.Pickle;

/// <summary>
/// Reads Python pickles (protocols 0–5, the opcodes that plain data and <c>torch.save</c> use) into plain C#
/// values (see <see cref="PickleValues"/>). Unlike Python's unpickler it never imports or runs anything: a global
/// (GLOBAL, STACK_GLOBAL, INST) is looked up in an allow-list the moment it is named, and any other global stops
/// the load with an <see cref="UnsafePickleException"/>. Allowed globals are C# stand-ins that only build values.
/// </summary>
public sealed class RestrictedUnpickler
{
    private readonly string _file;
    private readonly Func<string, string, object?> _resolveGlobal;
    private readonly Func<object?, object?>? _persistentLoad;

    /// <summary>Creates an unpickler.</summary>
    /// <param name="file">The file the pickle comes from, for error messages.</param>
    /// <param name="resolveGlobal">
    /// Maps (module, name) to the C# value standing for that global, typically a <see cref="PickleCallable"/> or
    /// <see cref="PickleTypeToken"/>; returns null to refuse it.
    /// </param>
    /// <param name="persistentLoad">Resolves persistent ids (PERSID, BINPERSID); null refuses them.</param>
    public RestrictedUnpickler(string file, Func<string, string, object?> resolveGlobal,
        Func<object?, object?>? persistentLoad = null)
    {
        _file = file;
        _resolveGlobal = resolveGlobal;
        _persistentLoad = persistentLoad;
    }

    /// <summary>Reads one pickled value.</summary>
    /// <exception cref="UnsafePickleException">When the pickle names a global outside the allow-list.</exception>
    /// <exception cref="WeightFileException">When the pickle is malformed, truncated or uses an unsupported opcode.</exception>
    public object? Load(ReadOnlyMemory<byte> pickle) => new Machine(this, pickle).Run();

    /// <summary>One run over one pickle: the stack, marks and memo.</summary>
    private sealed class Machine(RestrictedUnpickler owner, ReadOnlyMemory<byte> data)
    {
        private readonly List<object?> _stack = [];
        private readonly Stack<int> _marks = new();
        private readonly Dictionary<long, object?> _memo = [];
        private int _position;
        private int _opcodeStart;
        private byte _opcode;

        private ReadOnlySpan<byte> Data => data.Span;

        public object? Run()
        {
            try
            {
                while (true)
                {
                    _opcodeStart = _position;
                    _opcode = ReadByte();
                    if (_opcode == '.') return Pop();
                    Step(_opcode);
                }
            }
            catch (WeightFileException)
            {
                throw;
            }
            catch (Exception e) when (e is InvalidDataException or ArgumentException or FormatException
                                          or OverflowException or InvalidCastException)
            {
                throw Error(e.Message, e);
            }
        }

        private void Step(byte opcode)
        {
            switch (opcode)
            {
                // Framing and protocol.
                case 0x80: ReadByte(); break; // PROTO n
                case 0x95: ReadBytes(8); break; // FRAME: a length hint only
                // Stack manipulation.
                case (byte)'(': _marks.Push(_stack.Count); break; // MARK
                case (byte)'0': Pop(); break; // POP
                case (byte)'1': PopMark(); break; // POP_MARK
                case (byte)'2': Push(Peek()); break; // DUP
                // Constants.
                case (byte)'N': Push(null); break; // NONE
                case 0x88: Push(true); break; // NEWTRUE
                case 0x89: Push(false); break; // NEWFALSE
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4))); break; // BININT
                case (byte)'K': Push((long)ReadByte()); break; // BININT1
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2))); break; // BININT2
                case 0x8a: Push(ReadLong(ReadByte())); break; // LONG1
                case 0x8b: Push(ReadLong(ReadLength(4))); break; // LONG4
                case (byte)'I': Push(ParseTextInt(ReadLine())); break; // INT
                case (byte)'L': Push(ParseTextLong(ReadLine())); break; // LONG
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(ReadBytes(8))); break; // BINFLOAT
                case (byte)'F': Push(double.Parse(ReadLine(), CultureInfo.InvariantCulture)); break; // FLOAT
                // Strings and bytes.
                case (byte)'X': Push(ReadUtf8(ReadLength(4))); break; // BINUNICODE
                case 0x8c: Push(ReadUtf8(ReadByte())); break; // SHORT_BINUNICODE
                case 0x8d: Push(ReadUtf8(ReadLength(8))); break; // BINUNICODE8
                case (byte)'T': Push(Encoding.Latin1.GetString(ReadBytes(ReadLength(4)))); break; // BINSTRING (Python 2 str)
                case (byte)'U': Push(Encoding.Latin1.GetString(ReadBytes(ReadByte()))); break; // SHORT_BINSTRING
                case (byte)'V': Push(RawUnicodeEscape.Decode(Encoding.Latin1.GetString(ReadLineBytes()))); break; // UNICODE (protocol 0)
                case (byte)'B': Push(ReadBytes(ReadLength(4)).ToArray()); break; // BINBYTES
                case (byte)'C': Push(ReadBytes(ReadByte()).ToArray()); break; // SHORT_BINBYTES
                case 0x8e: Push(ReadBytes(ReadLength(8)).ToArray()); break; // BINBYTES8
                // Containers.
                case (byte)')': Push(Array.Empty<object?>()); break; // EMPTY_TUPLE
                case (byte)'t': Push(PopMark().ToArray()); break; // TUPLE
                case 0x85: Push(new[] { Pop() }); break; // TUPLE1
                case 0x86: { object? b = Pop(), a = Pop(); Push(new[] { a, b }); break; } // TUPLE2
                case 0x87: { object? c = Pop(), b = Pop(), a = Pop(); Push(new[] { a, b, c }); break; } // TUPLE3
                case (byte)']': Push(new List<object?>()); break; // EMPTY_LIST
                case (byte)'l': Push(PopMark()); break; // LIST
                case (byte)'a': { object? item = Pop(); PeekAs<List<object?>>("APPEND").Add(item); break; } // APPEND
                case (byte)'e': { List<object?> items = PopMark(); PeekAs<List<object?>>("APPENDS").AddRange(items); break; } // APPENDS
                case (byte)'}': Push(new PickleDict()); break; // EMPTY_DICT
                case (byte)'d': { var dict = new PickleDict(); SetItems(dict, PopMark()); Push(dict); break; } // DICT
                case (byte)'s': { object? value = Pop(), key = Pop(); PeekAs<PickleDict>("SETITEM").Set(key, value); break; } // SETITEM
                case (byte)'u': { List<object?> items = PopMark(); SetItems(PeekAs<PickleDict>("SETITEMS"), items); break; } // SETITEMS
                // Memo.
                case (byte)'q': Memoize(ReadByte()); break; // BINPUT
                case (byte)'r': Memoize(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4))); break; // LONG_BINPUT
                case (byte)'p': Memoize(long.Parse(ReadLine(), CultureInfo.InvariantCulture)); break; // PUT
                case 0x94: Memoize(_memo.Count); break; // MEMOIZE
                case (byte)'h': Push(Recall(ReadByte())); break; // BINGET
                case (byte)'j': Push(Recall(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)))); break; // LONG_BINGET
                case (byte)'g': Push(Recall(long.Parse(ReadLine(), CultureInfo.InvariantCulture))); break; // GET
                // Globals and objects: every global is checked against the allow-list here, before anything else.
                case (byte)'c': Push(ResolveGlobal(ReadLine(), ReadLine())); break; // GLOBAL
                case 0x93: // STACK_GLOBAL
                {
                    object? name = Pop(), module = Pop();
                    if (module is not string m || name is not string n)
                        throw new InvalidDataException("STACK_GLOBAL needs two strings (module, name).");
                    Push(ResolveGlobal(m, n));
                    break;
                }
                case (byte)'i': // INST: a global named inline, called with the arguments since MARK
                {
                    object? callable = ResolveGlobal(ReadLine(), ReadLine());
                    Push(Call(callable, PopMark().ToArray()));
                    break;
                }
                case (byte)'o': // OBJ: the first item after MARK is called with the rest
                {
                    List<object?> items = PopMark();
                    if (items.Count == 0) throw new InvalidDataException("OBJ without a class.");
                    Push(Call(items[0], items.Skip(1).ToArray()));
                    break;
                }
                case (byte)'R': { object? args = Pop(), callable = Pop(); Push(Call(callable, AsTuple(args, "REDUCE"))); break; } // REDUCE
                case 0x81: { object? args = Pop(), cls = Pop(); Push(Call(cls, AsTuple(args, "NEWOBJ"))); break; } // NEWOBJ
                case 0x92: // NEWOBJ_EX
                {
                    object? kwargs = Pop(), args = Pop(), cls = Pop();
                    if (kwargs is PickleDict { Count: > 0 }) throw new InvalidDataException("NEWOBJ_EX with keyword arguments is not supported.");
                    Push(Call(cls, AsTuple(args, "NEWOBJ_EX")));
                    break;
                }
                case (byte)'b': // BUILD
                {
                    object? state = Pop();
                    if (Peek() is not IPickleBuildable target)
                        throw new InvalidDataException($"BUILD cannot set the state of {PickleValues.Describe(Peek())}.");
                    target.Build(state);
                    break;
                }
                case (byte)'Q': Push(LoadPersistent(Pop())); break; // BINPERSID
                case (byte)'P': Push(LoadPersistent(ReadLine())); break; // PERSID
                default:
                    throw Error($"unsupported pickle opcode 0x{opcode:x2} ('{(opcode is >= 32 and < 127 ? (char)opcode : '?')}'); " +
                                "Graft reads the pickles torch.save writes.");
            }
        }

        private object ResolveGlobal(string module, string name)
        {
            object? value = owner._resolveGlobal(module, name);
            return value ?? throw new UnsafePickleException(owner._file, $"{module}.{name}");
        }

        private static object? Call(object? callable, object?[] args) =>
            callable is PickleCallable function
                ? function.Build(args)
                : throw new InvalidDataException($"{PickleValues.Describe(callable)} cannot be called.");

        private object? LoadPersistent(object? id) =>
            owner._persistentLoad is { } load
                ? load(id)
                : throw new InvalidDataException("the pickle refers to external data (a persistent id) but none is available.");

        private static object?[] AsTuple(object? args, string opcode) =>
            args as object?[] ?? throw new InvalidDataException($"{opcode} needs a tuple of arguments, not {PickleValues.Describe(args)}.");

        private static void SetItems(PickleDict dict, List<object?> items)
        {
            if (items.Count % 2 != 0) throw new InvalidDataException("a dict needs key/value pairs, got an odd number of items.");
            for (int i = 0; i < items.Count; i += 2) dict.Set(items[i], items[i + 1]);
        }

        private void Push(object? value) => _stack.Add(value);

        private object? Peek()
        {
            if (_stack.Count == 0 || (_marks.Count > 0 && _marks.Peek() == _stack.Count))
                throw new InvalidDataException("the pickle stack is empty.");
            return _stack[^1];
        }

        private T PeekAs<T>(string opcode) where T : class =>
            Peek() as T ?? throw new InvalidDataException(
                $"{opcode} expects {(typeof(T) == typeof(PickleDict) ? "a dict" : "a list")} on the stack, found {PickleValues.Describe(Peek())}.");

        private object? Pop()
        {
            object? value = Peek();
            _stack.RemoveAt(_stack.Count - 1);
            return value;
        }

        private List<object?> PopMark()
        {
            if (_marks.Count == 0) throw new InvalidDataException("the pickle has no MARK to pop to.");
            int mark = _marks.Pop();
            List<object?> items = _stack.GetRange(mark, _stack.Count - mark);
            _stack.RemoveRange(mark, _stack.Count - mark);
            return items;
        }

        private void Memoize(long index) => _memo[index] = Peek();

        private object? Recall(long index) =>
            _memo.TryGetValue(index, out object? value) ? value : throw new InvalidDataException($"memo entry {index} was never stored.");

        private byte ReadByte()
        {
            if (_position >= Data.Length) throw TruncatedError();
            return Data[_position++];
        }

        private ReadOnlySpan<byte> ReadBytes(long count)
        {
            if (count < 0 || count > Data.Length - _position) throw TruncatedError();
            ReadOnlySpan<byte> bytes = Data.Slice(_position, (int)count);
            _position += (int)count;
            return bytes;
        }

        /// <summary>Reads a little-endian length of <paramref name="width"/> bytes, refusing lengths beyond the data.</summary>
        private long ReadLength(int width)
        {
            ReadOnlySpan<byte> bytes = ReadBytes(width);
            ulong length = width == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            if (length > (ulong)(Data.Length - _position)) throw TruncatedError();
            return (long)length;
        }

        private string ReadUtf8(long count) =>
            new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(ReadBytes(count));

        private string ReadLine() => Encoding.UTF8.GetString(ReadLineBytes());

        private ReadOnlySpan<byte> ReadLineBytes()
        {
            int end = Data[_position..].IndexOf((byte)'\n');
            if (end < 0) throw TruncatedError();
            ReadOnlySpan<byte> line = Data.Slice(_position, end);
            _position += end + 1;
            return line;
        }

        /// <summary>A two's-complement little-endian integer (LONG1, LONG4).</summary>
        private object ReadLong(long count)
        {
            var value = new BigInteger(ReadBytes(count), isUnsigned: false, isBigEndian: false);
            return value >= long.MinValue && value <= long.MaxValue ? (object)(long)value : value;
        }

        private static object ParseTextInt(string text) => text switch
        {
            "00" => false, // protocol 0 spells booleans as INT 00 / 01
            "01" => true,
            _ => ParseTextLong(text),
        };

        private static object ParseTextLong(string text)
        {
            var value = BigInteger.Parse(text.TrimEnd('L'), CultureInfo.InvariantCulture);
            return value >= long.MinValue && value <= long.MaxValue ? (object)(long)value : value;
        }

        private WeightFileException TruncatedError() => Error("the pickle ends in the middle of an opcode (truncated data).");

        private WeightFileException Error(string problem, Exception? inner = null) =>
            new(owner._file, $"invalid pickle at byte {_opcodeStart} (opcode 0x{_opcode:x2}): {problem}", inner);
    }
}
