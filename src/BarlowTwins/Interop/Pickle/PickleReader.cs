using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace BarlowTwins.Interop.Pickle;

/// <summary>
/// A restricted unpickler for what torch.save writes (pickle protocols 2–5). It builds only
/// plain values, lists, tuples, dicts and tensor/storage descriptions (see PickleGraph.cs);
/// a global outside <see cref="TorchPickleGlobals"/> or an opcode that would construct an
/// arbitrary object stops it with <see cref="UnsafePickleException"/>. Every value, memo entry and
/// container element it makes is charged to a <see cref="PickleBudget"/>, so its work follows the input.
/// </summary>
internal sealed class PickleReader
{
    private readonly BinaryReader input;
    private readonly string source;
    private readonly List<object?> stack = [];
    private readonly Stack<int> marks = new();
    private readonly Dictionary<long, object?> memo = [];
    private readonly PickleBudget budget;

    private PickleReader(Stream stream, string source, PickleBudget budget)
    {
        input = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        this.source = source;
        this.budget = budget;
    }

    /// <summary>Reads one pickled object; <paramref name="source"/> names it in error messages.</summary>
    public static object? Read(Stream stream, string source, PickleBudget budget) => new PickleReader(stream, source, budget).Run();

    private object? Run()
    {
        while (true)
        {
            int code = input.BaseStream.ReadByte();
            if (code < 0) throw Invalid("ends before its STOP opcode");
            if (code == '.') return stack.Count == 1 ? stack[0] : throw Invalid("leaves a malformed stack");
            Step((byte)code);
        }
    }

    private void Step(byte code)
    {
        switch (code)
        {
            case 0x80: input.ReadByte(); break;                               // PROTO
            case 0x95: input.ReadInt64(); break;                              // FRAME (a size hint)
            case (byte)'(': marks.Push(stack.Count); break;                   // MARK
            case (byte)'0': Pop(); break;                                     // POP
            case (byte)'1': PopMark(); break;                                 // POP_MARK
            case (byte)'2': Push(Peek()); break;                              // DUP
            case (byte)'N': Push(null); break;                                // NONE
            case 0x88: Push(true); break;                                     // NEWTRUE
            case 0x89: Push(false); break;                                    // NEWFALSE
            case (byte)'J': Push((long)input.ReadInt32()); break;             // BININT
            case (byte)'K': Push((long)input.ReadByte()); break;              // BININT1
            case (byte)'M': Push((long)input.ReadUInt16()); break;            // BININT2
            case 0x8a: Push(ReadLong(input.ReadByte())); break;               // LONG1
            case 0x8b: Push(ReadLong(input.ReadInt32())); break;              // LONG4
            case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(input.ReadBytes(8))); break; // BINFLOAT
            case (byte)'X': Push(ReadText(input.ReadUInt32())); break;        // BINUNICODE
            case 0x8c: Push(ReadText(input.ReadByte())); break;               // SHORT_BINUNICODE
            case 0x8d: Push(ReadText(input.ReadInt64())); break;              // BINUNICODE8
            case (byte)'U': Push(Encoding.Latin1.GetString(ReadBytes(input.ReadByte()))); break; // SHORT_BINSTRING
            case (byte)'T': Push(Encoding.Latin1.GetString(ReadBytes(input.ReadUInt32()))); break; // BINSTRING
            case (byte)'C': Push(ReadBytes(input.ReadByte())); break;         // SHORT_BINBYTES
            case (byte)'B': Push(ReadBytes(input.ReadUInt32())); break;       // BINBYTES
            case 0x8e: Push(ReadBytes(input.ReadInt64())); break;             // BINBYTES8
            case (byte)')': Push(Array.Empty<object?>()); break;              // EMPTY_TUPLE
            case 0x85: Push(PopMany(1)); break;                               // TUPLE1
            case 0x86: Push(PopMany(2)); break;                               // TUPLE2
            case 0x87: Push(PopMany(3)); break;                               // TUPLE3
            case (byte)'t': Push(Contents(PopMark()).ToArray()); break;       // TUPLE
            case (byte)']': Push(new List<object?>()); break;                 // EMPTY_LIST
            case (byte)'l': Push(Contents(PopMark())); break;                 // LIST
            case (byte)'a': Append(Pop()); break;                             // APPEND
            case (byte)'e': { var items = Contents(PopMark()); Top<List<object?>>("APPENDS").AddRange(items); break; } // APPENDS
            case (byte)'}': Push(new OrderedDictionary<object, object?>()); break; // EMPTY_DICT
            case (byte)'d': Push(SetItems(new OrderedDictionary<object, object?>(), PopMark())); break; // DICT
            case (byte)'s': { var v = Pop(); var k = Pop(); SetItems(Top<OrderedDictionary<object, object?>>("SETITEM"), [k, v]); break; }
            case (byte)'u': { var items = PopMark(); SetItems(Top<OrderedDictionary<object, object?>>("SETITEMS"), items); break; }
            case (byte)'q': Memoize(input.ReadByte()); break;                 // BINPUT
            case (byte)'r': Memoize(input.ReadUInt32()); break;               // LONG_BINPUT
            case 0x94: Memoize(memo.Count); break;                            // MEMOIZE
            case (byte)'h': Push(Recall(input.ReadByte())); break;            // BINGET
            case (byte)'j': Push(Recall(input.ReadUInt32())); break;          // LONG_BINGET
            case (byte)'c': Push(TorchPickleGlobals.Resolve(ReadLine(), ReadLine())); break; // GLOBAL
            case 0x93: { var name = Pop(); var module = Pop(); Push(TorchPickleGlobals.Resolve(AsText(module), AsText(name))); break; } // STACK_GLOBAL
            case (byte)'Q': Push(TorchObjects.PersistentLoad(Pop())); break; // BINPERSID
            case (byte)'R': { var args = Pop(); var callable = Pop(); Push(TorchObjects.Call(callable, args, budget)); break; } // REDUCE
            case (byte)'b': { var state = Pop(); TorchObjects.Build(Peek(), state); break; } // BUILD
            default:
                throw new UnsafePickleException(
                    $"{source}: pickle opcode 0x{code:x2} ('{(char)code}') is not one torch.save uses for a state dict " +
                    "(object construction, extensions and protocol 0/1 text opcodes are refused); nothing was executed.");
        }
    }

    private void Push(object? value)
    {
        budget.Value();
        stack.Add(value);
    }

    private void Memoize(long index)
    {
        if (!memo.ContainsKey(index)) budget.MemoEntry();
        memo[index] = Peek();
    }

    private List<object?> Contents(List<object?> items)
    {
        budget.Elements(items.Count);
        return items;
    }

    private object? Pop()
    {
        if (stack.Count == 0 || (marks.Count > 0 && marks.Peek() == stack.Count)) throw Invalid("pops an empty stack");
        var value = stack[^1];
        stack.RemoveAt(stack.Count - 1);
        return value;
    }

    private object? Peek() => stack.Count > 0 ? stack[^1] : throw Invalid("reads an empty stack");

    private object?[] PopMany(int count)
    {
        budget.Elements(count);
        var items = new object?[count];
        for (int i = count - 1; i >= 0; i--) items[i] = Pop();
        return items;
    }

    private List<object?> PopMark()
    {
        if (marks.Count == 0) throw Invalid("uses a MARK that was never set");
        int start = marks.Pop();
        var items = stack.GetRange(start, stack.Count - start);
        stack.RemoveRange(start, stack.Count - start);
        return items;
    }

    private T Top<T>(string opcode) where T : class =>
        stack.Count > 0 && stack[^1] is T top ? top : throw Invalid($"applies {opcode} to something that is not a {typeof(T).Name}");

    private void Append(object? item)
    {
        budget.Elements(1);
        Top<List<object?>>("APPEND").Add(item);
    }

    private OrderedDictionary<object, object?> SetItems(OrderedDictionary<object, object?> dict, IReadOnlyList<object?> items)
    {
        if (items.Count % 2 != 0) throw Invalid("has a dict with a key but no value");
        budget.Elements(items.Count / 2);
        for (int i = 0; i < items.Count; i += 2)
            dict[items[i] ?? throw Invalid("has a dict key None")] = items[i + 1];
        return dict;
    }

    private object? Recall(long index) =>
        memo.TryGetValue(index, out var value) ? value : throw Invalid($"recalls memo entry {index} that was never stored");

    private object ReadLong(int byteCount)
    {
        var value = new BigInteger(ReadBytes(byteCount), isUnsigned: false, isBigEndian: false);
        return value >= long.MinValue && value <= long.MaxValue ? (long)value : throw Invalid("holds an integer wider than 64 bits");
    }

    private string ReadText(long length) => Encoding.UTF8.GetString(ReadBytes(length));

    private byte[] ReadBytes(long length)
    {
        long left = input.BaseStream.Length - input.BaseStream.Position;
        if (length < 0 || length > left) throw Invalid($"declares a string of {length} bytes with {left} left: it is truncated");
        return input.ReadBytes((int)length);
    }

    private string ReadLine()
    {
        var text = new StringBuilder();
        for (int c = input.BaseStream.ReadByte(); c != '\n'; c = input.BaseStream.ReadByte())
        {
            if (c < 0 || text.Length > 256) throw Invalid("has an unterminated GLOBAL name");
            text.Append((char)c);
        }
        return text.ToString();
    }

    private string AsText(object? value) => value as string ?? throw Invalid("names a global with something that is not a string");

    private InvalidDataException Invalid(string what) => new($"{source}: the pickle {what}; the file is damaged or not a PyTorch checkpoint.");
}
