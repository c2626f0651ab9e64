namespace Epsilon.Actors.Http.Http2.Hpack;

/// <summary>
/// Decodes header blocks (RFC 7541) fragment by fragment, as HEADERS, PUSH_PROMISE and
/// CONTINUATION frames bring them: any representation, integer or string may be split across
/// fragments, and nothing is buffered beyond the string being read.
/// </summary>
/// <remarks>
/// <para>Limits. A block whose decoded size (RFC 9113 §6.5.2: name + value + 32 per field) goes
/// over <c>maxHeaderListSize</c> is still decoded to its end, so the dynamic table stays in step
/// with the peer's encoder, but fields past the limit are not delivered and the result is
/// <see cref="HpackBlockResult.CompleteTooLarge"/>: the stream is refused, the connection lives.
/// Strings that are needed neither for delivery nor for the table (an entry larger than the table
/// only empties it, §4.4) are skipped without being buffered, so an HPACK bomb costs no memory.</para>
/// <para>Errors (<see cref="HpackDecodingException"/>, a COMPRESSION_ERROR): index 0 or past the
/// tables, a table size update above the allowed size or after a field, a missing update after
/// the allowed size was lowered, an integer over 2^31-1, bad Huffman code or padding, and a block
/// that ends inside a representation.</para>
/// </remarks>
internal sealed class HpackDecoder
{
    private readonly HpackDynamicTable _table;
    private readonly int _maxHeaderListSize;
    private int _maxAllowedTableSize;

    // The block being decoded.
    private long _listSize;
    private bool _tooLarge;
    private bool _fieldSeen;

    // The representation being decoded.
    private State _state;
    private HpackInteger.Decoder _integer;
    private bool _indexing;
    private bool _huffman;
    private int _stringLength;
    private int _stringRead;
    private bool _skipping;
    private byte[] _raw = [];
    private byte[] _name = new byte[64];
    private int _nameLength;
    private bool _nameSkipped;
    private byte[] _value = new byte[128];
    private int _valueLength;

    /// <summary>Creates a decoder.</summary>
    /// <param name="maxTableSize">The SETTINGS_HEADER_TABLE_SIZE this side advertises (RFC 9113 default 4096).</param>
    /// <param name="maxHeaderListSize">The largest decoded header list delivered (RFC 9113 §6.5.2 accounting).</param>
    public HpackDecoder(int maxTableSize, int maxHeaderListSize)
    {
        _maxAllowedTableSize = maxTableSize;
        _maxHeaderListSize = maxHeaderListSize;
        _table = new HpackDynamicTable(maxTableSize);
    }

    private enum State
    {
        Ready,
        IndexedInteger,
        NameIndexInteger,
        SizeUpdateInteger,
        NameLengthStart,
        NameLengthInteger,
        NameBytes,
        ValueLengthStart,
        ValueLengthInteger,
        ValueBytes,
    }

    /// <summary>The dynamic table, for tests and diagnostics.</summary>
    public HpackDynamicTable Table => _table;

    /// <summary>
    /// Applies a new SETTINGS_HEADER_TABLE_SIZE of this side once the peer has acknowledged it. When
    /// it is below the table's current maximum, the peer's next block must begin with a size update.
    /// </summary>
    public void SetMaxAllowedTableSize(int size) => _maxAllowedTableSize = size;

    /// <summary>Decodes one fragment of a header block; <paramref name="endOfBlock"/> is END_HEADERS.</summary>
    /// <exception cref="HpackDecodingException">The block cannot be decoded; the connection must end with COMPRESSION_ERROR.</exception>
    public HpackBlockResult Decode<THandler>(ReadOnlySpan<byte> fragment, bool endOfBlock, ref THandler handler)
        where THandler : IHpackHeaderHandler
    {
        var i = 0;
        while (i < fragment.Length)
        {
            var b = fragment[i];
            switch (_state)
            {
                case State.Ready:
                    i++;
                    StartRepresentation(b, ref handler);
                    break;

                case State.IndexedInteger:
                case State.NameIndexInteger:
                case State.SizeUpdateInteger:
                case State.NameLengthInteger:
                case State.ValueLengthInteger:
                    i++;
                    if (_integer.Continue(b, out var value)) IntegerDone(value, ref handler);
                    break;

                case State.NameLengthStart:
                case State.ValueLengthStart:
                    i++;
                    _huffman = (b & 0x80) != 0;
                    _state = _state == State.NameLengthStart ? State.NameLengthInteger : State.ValueLengthInteger;
                    if (_integer.Start(b, 7, out var length)) IntegerDone(length, ref handler);
                    break;

                case State.NameBytes:
                case State.ValueBytes:
                    i += ReadString(fragment[i..], ref handler);
                    break;
            }
        }

        // A string of length zero is complete without bytes.
        if (_state is State.NameBytes or State.ValueBytes && _stringRead == _stringLength) ReadString([], ref handler);

        if (!endOfBlock) return HpackBlockResult.Incomplete;
        if (_state != State.Ready) throw new HpackDecodingException("The header block ends inside a field representation.");
        var result = _tooLarge ? HpackBlockResult.CompleteTooLarge : HpackBlockResult.Complete;
        _listSize = 0;
        _tooLarge = false;
        _fieldSeen = false;
        return result;
    }

    private void StartRepresentation<THandler>(byte b, ref THandler handler)
        where THandler : IHpackHeaderHandler
    {
        if ((b & 0xe0) == 0x20)
        {
            // §6.3 dynamic table size update: only before the block's first field (§4.2).
            if (_fieldSeen) throw new HpackDecodingException("A dynamic table size update follows a field of the block.");
            _state = State.SizeUpdateInteger;
            if (_integer.Start(b, 5, out var size)) IntegerDone(size, ref handler);
            return;
        }

        if (!_fieldSeen)
        {
            _fieldSeen = true;
            if (_table.MaxSize > _maxAllowedTableSize) throw new HpackDecodingException("The block does not begin with the dynamic table size update owed since the allowed size was lowered.");
        }

        int prefix;
        if ((b & 0x80) != 0)
        {
            // §6.1 indexed field.
            _state = State.IndexedInteger;
            prefix = 7;
        }
        else
        {
            // §6.2.1 incremental indexing (01), §6.2.2 without indexing (0000), §6.2.3 never indexed (0001).
            _indexing = (b & 0x40) != 0;
            prefix = _indexing ? 6 : 4;
            _state = State.NameIndexInteger;
        }

        if (_integer.Start(b, prefix, out var index)) IntegerDone(index, ref handler);
    }

    private void IntegerDone<THandler>(int value, ref THandler handler)
        where THandler : IHpackHeaderHandler
    {
        switch (_state)
        {
            case State.IndexedInteger:
                if (value == 0) throw new HpackDecodingException("Indexed field with index 0.");
                EmitIndexed(value, ref handler);
                _state = State.Ready;
                return;

            case State.SizeUpdateInteger:
                if (value > _maxAllowedTableSize) throw new HpackDecodingException($"A dynamic table size update to {value} exceeds the allowed {_maxAllowedTableSize}.");
                _table.Resize(value);
                _state = State.Ready;
                return;

            case State.NameIndexInteger:
                _nameSkipped = false;
                if (value == 0)
                {
                    _state = State.NameLengthStart;
                    return;
                }

                var name = NameAt(value);
                _nameLength = name.Length;
                EnsureCapacity(ref _name, _nameLength);
                name.CopyTo(_name);
                _state = State.ValueLengthStart;
                return;

            case State.NameLengthInteger:
                StartString(value, isName: true);
                _state = State.NameBytes;
                return;

            case State.ValueLengthInteger:
                StartString(value, isName: false);
                _state = State.ValueBytes;
                return;
        }
    }

    /// <summary>Decides whether a string of <paramref name="length"/> coded octets must be kept, or can be skipped.</summary>
    private void StartString(int length, bool isName)
    {
        _stringLength = length;
        _stringRead = 0;
        if (!isName && _nameSkipped)
        {
            _skipping = true;
            return;
        }

        // The fewest octets the string can decode to: the longest Huffman code has 30 bits.
        long least = _huffman ? Math.Max(0, (8L * length - 7) / 30) : length;
        long other = isName ? 0 : _nameLength;
        var forList = !_tooLarge && _listSize + other + least + HpackDynamicTable.EntryOverhead <= _maxHeaderListSize;
        var forTable = _indexing && other + least + HpackDynamicTable.EntryOverhead <= _table.MaxSize;
        if (!forList && !_tooLarge) _tooLarge = true;
        _skipping = !forList && !forTable;
        if (_skipping)
        {
            if (isName)
            {
                _nameSkipped = true;
                _nameLength = (int)Math.Min(least, int.MaxValue);
            }

            return;
        }

        if (_huffman) EnsureCapacity(ref _raw, length);
    }

    /// <summary>Takes string octets from <paramref name="input"/>; returns how many.</summary>
    private int ReadString<THandler>(ReadOnlySpan<byte> input, ref THandler handler)
        where THandler : IHpackHeaderHandler
    {
        var isName = _state == State.NameBytes;
        var take = Math.Min(input.Length, _stringLength - _stringRead);
        if (!_skipping)
        {
            // Plain strings go straight to their buffer; coded ones are decoded when complete.
            if (_huffman)
            {
                input[..take].CopyTo(_raw.AsSpan(_stringRead));
            }
            else
            {
                ref var target = ref isName ? ref _name : ref _value;
                EnsureCapacity(ref target, _stringLength);
                input[..take].CopyTo(target.AsSpan(_stringRead));
            }
        }

        _stringRead += take;
        if (_stringRead < _stringLength) return take;

        var decoded = _stringLength;
        if (!_skipping && _huffman)
        {
            ref var target = ref isName ? ref _name : ref _value;
            EnsureCapacity(ref target, _stringLength * 8 / 5 + 1);
            decoded = HpackHuffman.Decode(_raw.AsSpan(0, _stringLength), target);
        }

        if (isName)
        {
            if (!_nameSkipped) _nameLength = decoded;
            _state = State.ValueLengthStart;
            return take;
        }

        if (!_skipping) _valueLength = decoded;
        EmitLiteral(valueSkipped: _skipping, ref handler);
        _state = State.Ready;
        return take;
    }

    private void EmitIndexed<THandler>(int index, ref THandler handler)
        where THandler : IHpackHeaderHandler
    {
        ReadOnlySpan<byte> name, value;
        if (index <= HpackStaticTable.Count)
        {
            name = HpackStaticTable.Name(index);
            value = HpackStaticTable.Value(index);
        }
        else
        {
            if (index - HpackStaticTable.Count > _table.Count) throw new HpackDecodingException($"Index {index} is past the dynamic table ({_table.Count} entries).");
            ref readonly var entry = ref _table[index - HpackStaticTable.Count];
            name = entry.Name;
            value = entry.Value;
        }

        Deliver(name, value, ref handler);
    }

    private void EmitLiteral<THandler>(bool valueSkipped, ref THandler handler)
        where THandler : IHpackHeaderHandler
    {
        var name = _name.AsSpan(0, _nameSkipped ? 0 : _nameLength);
        var value = _value.AsSpan(0, valueSkipped ? 0 : _valueLength);
        if (_nameSkipped || valueSkipped)
        {
            // Skipped strings were never going to be delivered (the list is already too large).
            _tooLarge = true;
            if (_indexing) _table.AddTooLarge();
            return;
        }

        Deliver(name, value, ref handler);
        if (_indexing) _table.Add(name, value);
    }

    private void Deliver<THandler>(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, ref THandler handler)
        where THandler : IHpackHeaderHandler
    {
        if (_tooLarge) return;
        _listSize += name.Length + value.Length + HpackDynamicTable.EntryOverhead;
        if (_listSize > _maxHeaderListSize)
        {
            _tooLarge = true;
            return;
        }

        handler.OnHeader(name, value);
    }

    private ReadOnlySpan<byte> NameAt(int index)
    {
        if (index <= HpackStaticTable.Count) return HpackStaticTable.Name(index);
        if (index - HpackStaticTable.Count > _table.Count) throw new HpackDecodingException($"Name index {index} is past the dynamic table ({_table.Count} entries).");
        return _table[index - HpackStaticTable.Count].Name;
    }

    private static void EnsureCapacity(ref byte[] buffer, int length)
    {
        if (buffer.Length >= length) return;
        buffer = new byte[Math.Max(length, buffer.Length * 2)];
    }
}
