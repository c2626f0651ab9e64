namespace Epsilon.Actors.Http.Http2.Hpack;

/// <summary>
/// HPACK's dynamic table (RFC 7541 §2.3.2, §4): a FIFO of fields, newest first, whose size is the
/// sum of its entries' sizes (name octets + value octets + 32). Adding an entry evicts the oldest
/// until it fits; an entry larger than the whole table empties it and is not added (§4.4).
/// One class serves the decoder and the encoder; entries keep their octets.
/// </summary>
internal sealed class HpackDynamicTable
{
    /// <summary>The overhead counted for each entry (§4.1).</summary>
    public const int EntryOverhead = 32;

    private Entry[] _ring = new Entry[16];
    private int _newest = -1;
    private int _count;

    /// <summary>Creates a table whose maximum size is <paramref name="maxSize"/> octets.</summary>
    public HpackDynamicTable(int maxSize) => MaxSize = maxSize;

    /// <summary>The number of entries.</summary>
    public int Count => _count;

    /// <summary>The current size in octets (§4.1).</summary>
    public int Size { get; private set; }

    /// <summary>The current maximum size in octets.</summary>
    public int MaxSize { get; private set; }

    /// <summary>The entry at dynamic index <paramref name="index"/>: 1 is the newest.</summary>
    public ref readonly Entry this[int index]
    {
        get
        {
            if ((uint)(index - 1) >= (uint)_count) throw new ArgumentOutOfRangeException(nameof(index));
            var slot = _newest - (index - 1);
            if (slot < 0) slot += _ring.Length;
            return ref _ring[slot];
        }
    }

    /// <summary>Changes the maximum size, evicting the oldest entries until the table fits (§4.3).</summary>
    public void Resize(int maxSize)
    {
        MaxSize = maxSize;
        EvictTo(maxSize);
    }

    /// <summary>Adds a field as the newest entry (§4.4); its octets are copied.</summary>
    public void Add(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        var size = name.Length + value.Length + EntryOverhead;
        if (size > MaxSize)
        {
            // Not an error: the table is emptied and nothing is added.
            EvictTo(0);
            return;
        }

        EvictTo(MaxSize - size);
        if (_count == _ring.Length) Grow();
        _newest = (_newest + 1) % _ring.Length;
        _ring[_newest] = new Entry(name.ToArray(), value.ToArray());
        _count++;
        Size += size;
    }

    /// <summary>Adds an entry known to be larger than the table, whose octets were therefore not kept: the table empties (§4.4).</summary>
    public void AddTooLarge() => EvictTo(0);

    private void EvictTo(int target)
    {
        while (Size > target && _count > 0)
        {
            var oldest = _newest - (_count - 1);
            if (oldest < 0) oldest += _ring.Length;
            Size -= _ring[oldest].Size;
            _ring[oldest] = default;
            _count--;
        }

        if (_count == 0) _newest = -1;
    }

    private void Grow()
    {
        var grown = new Entry[_ring.Length * 2];
        for (var i = 0; i < _count; i++)
        {
            // Oldest first into slots 0..count-1.
            var slot = _newest - (_count - 1) + i;
            if (slot < 0) slot += _ring.Length;
            grown[i] = _ring[slot];
        }

        _ring = grown;
        _newest = _count - 1;
    }

    /// <summary>One field of the table.</summary>
    public readonly struct Entry(byte[] name, byte[] value)
    {
        /// <summary>The field name's octets.</summary>
        public ReadOnlySpan<byte> Name => name;

        /// <summary>The field value's octets.</summary>
        public ReadOnlySpan<byte> Value => value;

        /// <summary>The entry's size: name + value + 32 (§4.1).</summary>
        public int Size => name.Length + value.Length + EntryOverhead;
    }
}
