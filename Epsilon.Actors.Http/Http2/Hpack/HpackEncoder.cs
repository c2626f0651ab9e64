using System.Buffers;

namespace Epsilon.Actors.Http.Http2.Hpack;

/// <summary>
/// Encodes header blocks (RFC 7541). Each field is written as the shortest form its policy allows:
/// a full match in the static or dynamic table as an index (§6.1); otherwise a literal whose name is
/// indexed when it can be (§6.2), added to the dynamic table unless the field is sensitive or too
/// large to be worth a slot, with each string Huffman-coded when that is shorter (§5.2).
/// </summary>
/// <remarks>
/// Field names must already be lowercase (RFC 9113 §8.2.1); values must be Latin-1 (the HTTP layer
/// has validated them). Sensitive fields (<c>authorization</c>, <c>proxy-authorization</c>,
/// <c>cookie</c> values under 20 characters, <c>set-cookie</c>) are written never-indexed (§7.1.3),
/// so no intermediary compresses them either.
/// </remarks>
internal sealed class HpackEncoder
{
    private readonly HpackDynamicTable _table;
    private readonly int _ownLimit;
    private int _pendingMinimum = -1;
    private int _pendingFinal = -1;

    /// <summary>Creates an encoder whose table never exceeds <paramref name="maxTableSize"/>, nor what the peer allows (4096 until its SETTINGS say otherwise).</summary>
    public HpackEncoder(int maxTableSize = 4096)
    {
        _ownLimit = maxTableSize;
        _table = new HpackDynamicTable(Math.Min(maxTableSize, 4096));
    }

    /// <summary>How a field may be written.</summary>
    public enum Indexing
    {
        /// <summary>The encoder's policy: indexed unless sensitive or large.</summary>
        Auto,

        /// <summary>A literal not added to the table (§6.2.2).</summary>
        WithoutIndexing,

        /// <summary>A literal that no intermediary may index either (§6.2.3).</summary>
        NeverIndexed,
    }

    /// <summary>The dynamic table, for tests and diagnostics.</summary>
    public HpackDynamicTable Table => _table;

    /// <summary>
    /// Applies the peer's SETTINGS_HEADER_TABLE_SIZE: the table becomes the smaller of it and this
    /// encoder's own limit, and the next block starts with the size updates that tell the peer (§4.2:
    /// the smallest size in the interval, then the final one).
    /// </summary>
    public void SetPeerMaxTableSize(int size)
    {
        var target = Math.Min(size, _ownLimit);
        if (target == _table.MaxSize && _pendingFinal < 0) return;
        _pendingMinimum = _pendingMinimum < 0 ? target : Math.Min(_pendingMinimum, target);
        _pendingFinal = target;
        _table.Resize(target);
    }

    /// <summary>Writes what a new block must start with (pending table size updates); call before the block's first field.</summary>
    public void BeginBlock(IBufferWriter<byte> output)
    {
        if (_pendingFinal < 0) return;
        if (_pendingMinimum < _pendingFinal) WriteInteger(output, _pendingMinimum, 5, 0x20);
        WriteInteger(output, _pendingFinal, 5, 0x20);
        _pendingMinimum = -1;
        _pendingFinal = -1;
    }

    /// <summary>Writes one field.</summary>
    public void Encode(IBufferWriter<byte> output, string name, string value, Indexing indexing = Indexing.Auto)
    {
        if (indexing == Indexing.Auto)
        {
            var full = HpackStaticTable.IndexOf(name, value);
            if (full == 0) full = FindInTable(name, value, out _);
            if (full != 0)
            {
                WriteInteger(output, full, 7, 0x80);
                return;
            }

            if (IsSensitive(name, value)) indexing = Indexing.NeverIndexed;
        }

        var nameIndex = HpackStaticTable.IndexOfName(name);
        if (nameIndex == 0)
        {
            FindInTable(name, value, out var dynamicName);
            nameIndex = dynamicName;
        }

        var entrySize = name.Length + value.Length + HpackDynamicTable.EntryOverhead;
        var add = indexing == Indexing.Auto && entrySize <= _table.MaxSize / 2;
        var (prefix, flags) = add ? (6, (byte)0x40) : indexing == Indexing.NeverIndexed ? (4, (byte)0x10) : (4, (byte)0x00);
        WriteInteger(output, nameIndex, prefix, flags);
        if (nameIndex == 0) WriteString(output, name);
        WriteString(output, value);
        if (add) AddToTable(name, value);
    }

    private static bool IsSensitive(string name, string value) =>
        name is "authorization" or "proxy-authorization" or "set-cookie" || (name == "cookie" && value.Length < 20);

    /// <summary>A full match's index (or 0), and the index of the newest entry with the name (or 0).</summary>
    private int FindInTable(string name, string value, out int nameIndex)
    {
        nameIndex = 0;
        for (var i = 1; i <= _table.Count; i++)
        {
            ref readonly var entry = ref _table[i];
            if (!Equal(entry.Name, name)) continue;
            if (nameIndex == 0) nameIndex = i + HpackStaticTable.Count;
            if (Equal(entry.Value, value)) return i + HpackStaticTable.Count;
        }

        return 0;
    }

    private static bool Equal(ReadOnlySpan<byte> bytes, string text)
    {
        if (bytes.Length != text.Length) return false;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != text[i]) return false;
        }

        return true;
    }

    private void AddToTable(string name, string value)
    {
        Span<byte> small = stackalloc byte[256];
        var total = name.Length + value.Length;
        var rented = total > small.Length ? ArrayPool<byte>.Shared.Rent(total) : null;
        var bytes = rented ?? small;
        Latin1(name, bytes);
        Latin1(value, bytes[name.Length..]);
        _table.Add(bytes[..name.Length], bytes.Slice(name.Length, value.Length));
        if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
    }

    private static void Latin1(string text, Span<byte> destination)
    {
        for (var i = 0; i < text.Length; i++) destination[i] = (byte)text[i];
    }

    private static void WriteInteger(IBufferWriter<byte> output, int value, int prefix, byte flags)
    {
        var span = output.GetSpan(6);
        output.Advance(HpackInteger.Encode(span, value, prefix, flags));
    }

    private static void WriteString(IBufferWriter<byte> output, string text)
    {
        var coded = HpackHuffman.EncodedLength(text.AsSpan());
        if (coded < text.Length)
        {
            var span = output.GetSpan(6 + coded);
            var head = HpackInteger.Encode(span, coded, 7, 0x80);
            HpackHuffman.Encode(text.AsSpan(), span[head..]);
            output.Advance(head + coded);
            return;
        }

        var plain = output.GetSpan(6 + text.Length);
        var length = HpackInteger.Encode(plain, text.Length, 7, 0x00);
        Latin1(text, plain[length..]);
        output.Advance(length + text.Length);
    }
}
