using System.Collections;

namespace Epsilon.Actors.Http.Model;

/// <summary>
/// An immutable, ordered list of header fields: one array of <see cref="HttpHeader"/>, in wire order,
/// duplicates kept. Lookups are case-insensitive; well-known names compare by <see cref="KnownHeader"/>
/// id. Header lists are small (tens of fields), so a linear scan beats a dictionary and allocates
/// nothing. "Changing" methods return a new list. Thread-safe.
/// </summary>
public sealed class HttpHeaders : IReadOnlyList<HttpHeader>
{
    /// <summary>The empty list (a singleton).</summary>
    public static readonly HttpHeaders Empty = new([]);

    private readonly HttpHeader[] _items;

    private HttpHeaders(HttpHeader[] items) => _items = items;

    /// <summary>A list of the given headers, in order.</summary>
    public static HttpHeaders Of(params ReadOnlySpan<HttpHeader> headers) =>
        headers.IsEmpty ? Empty : new HttpHeaders(headers.ToArray());

    /// <summary>A list of (name, value) pairs, in order; names are validated as in <see cref="HttpHeader"/>.</summary>
    public static HttpHeaders Of(params ReadOnlySpan<(string Name, string Value)> headers)
    {
        if (headers.IsEmpty) return Empty;
        var items = new HttpHeader[headers.Length];
        for (var i = 0; i < headers.Length; i++) items[i] = new HttpHeader(headers[i].Name, headers[i].Value);
        return new HttpHeaders(items);
    }

    /// <summary>A builder for parsers: appends without copying until <see cref="Builder.Build"/>.</summary>
    public static Builder CreateBuilder(int capacity = 8) => new(capacity);

    /// <summary>The number of fields.</summary>
    public int Count => _items.Length;

    /// <summary>The field at <paramref name="index"/> in wire order.</summary>
    public HttpHeader this[int index] => _items[index];

    /// <summary>The first value of <paramref name="name"/>, or null.</summary>
    public string? this[string name] => Get(name);

    /// <summary>The first value of a well-known header, or null. An integer scan; no string compares.</summary>
    public string? Get(KnownHeader id)
    {
        foreach (ref readonly var h in _items.AsSpan())
        {
            if (h.Id == id) return h.Value;
        }

        return null;
    }

    /// <summary>The first value of <paramref name="name"/> (case-insensitive), or null.</summary>
    public string? Get(string name)
    {
        var id = KnownHeaders.Lookup(name.AsSpan());
        if (id != KnownHeader.None) return Get(id);
        foreach (ref readonly var h in _items.AsSpan())
        {
            if (h.Id == KnownHeader.None && h.Is(name)) return h.Value;
        }

        return null;
    }

    /// <summary>True when at least one field is named <paramref name="name"/>.</summary>
    public bool Contains(string name) => Get(name) is not null;

    /// <summary>True when at least one field has the well-known id.</summary>
    public bool Contains(KnownHeader id) => Get(id) is not null;

    /// <summary>Every value of <paramref name="name"/>, in order (for list-valued or repeated fields).</summary>
    public IEnumerable<string> GetAll(string name)
    {
        var id = KnownHeaders.Lookup(name.AsSpan());
        foreach (var h in _items)
        {
            if (id != KnownHeader.None ? h.Id == id : h.Id == KnownHeader.None && h.Is(name)) yield return h.Value;
        }
    }

    /// <summary>A copy with <paramref name="header"/> appended (existing fields of that name are kept).</summary>
    public HttpHeaders Add(HttpHeader header)
    {
        var items = new HttpHeader[_items.Length + 1];
        _items.CopyTo(items, 0);
        items[^1] = header;
        return new HttpHeaders(items);
    }

    /// <summary>A copy with the field appended (existing fields of that name are kept).</summary>
    public HttpHeaders Add(string name, string value) => Add(new HttpHeader(name, value));

    /// <summary>A copy in which <paramref name="header"/> replaces every field of its name (appended if absent).</summary>
    public HttpHeaders Set(HttpHeader header)
    {
        var kept = new List<HttpHeader>(_items.Length + 1);
        foreach (var h in _items)
        {
            if (!SameName(h, header)) kept.Add(h);
        }

        kept.Add(header);
        return new HttpHeaders([.. kept]);
    }

    /// <summary>A copy in which the field replaces every field of its name (appended if absent).</summary>
    public HttpHeaders Set(string name, string value) => Set(new HttpHeader(name, value));

    /// <summary>A copy without any field named <paramref name="name"/>; this instance if there was none.</summary>
    public HttpHeaders Remove(string name)
    {
        if (!Contains(name)) return this;
        var probe = new HttpHeader(name, "");
        var kept = new List<HttpHeader>(_items.Length);
        foreach (var h in _items)
        {
            if (!SameName(h, probe)) kept.Add(h);
        }

        return kept.Count == 0 ? Empty : new HttpHeaders([.. kept]);
    }

    /// <summary>A copy without any field of the well-known id; this instance if there was none.</summary>
    public HttpHeaders Remove(KnownHeader id) => Contains(id) ? Remove(KnownHeaders.NameOf(id)) : this;

    /// <summary>The fields as a span, for renderers.</summary>
    public ReadOnlySpan<HttpHeader> AsSpan() => _items;

    /// <summary>A struct enumerator over the fields in order.</summary>
    public ReadOnlySpan<HttpHeader>.Enumerator GetEnumerator() => new ReadOnlySpan<HttpHeader>(_items).GetEnumerator();

    IEnumerator<HttpHeader> IEnumerable<HttpHeader>.GetEnumerator() => ((IEnumerable<HttpHeader>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    /// <summary>One "Name: value" line per field.</summary>
    public override string ToString() => string.Join("\n", _items);

    private static bool SameName(in HttpHeader a, in HttpHeader b) =>
        a.Id != KnownHeader.None || b.Id != KnownHeader.None ? a.Id == b.Id : a.Is(b.Name);

    /// <summary>
    /// Collects fields for one message, then freezes them into an <see cref="HttpHeaders"/>. Not
    /// thread-safe; a parser can <see cref="Clear"/> and reuse one builder per connection.
    /// </summary>
    public sealed class Builder
    {
        private HttpHeader[] _buffer;
        private int _count;

        internal Builder(int capacity) => _buffer = new HttpHeader[Math.Max(1, capacity)];

        /// <summary>The number of fields added so far.</summary>
        public int Count => _count;

        /// <summary>Appends a field.</summary>
        public Builder Add(HttpHeader header)
        {
            if (_count == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
            _buffer[_count++] = header;
            return this;
        }

        /// <summary>Appends a field; the name is validated as in <see cref="HttpHeader"/>.</summary>
        public Builder Add(string name, string value) => Add(new HttpHeader(name, value));

        /// <summary>
        /// Appends a field from the ASCII bytes of a header line. A well-known name costs no string;
        /// the value is decoded as Latin-1 (RFC 9110 §5.5: obs-text bytes are kept, not rejected).
        /// </summary>
        public Builder Add(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
        {
            var id = KnownHeaders.Lookup(name);
            var text = System.Text.Encoding.Latin1.GetString(value);
            return Add(id != KnownHeader.None ? new HttpHeader(id, text) : new HttpHeader(System.Text.Encoding.Latin1.GetString(name), text));
        }

        /// <summary>An immutable list of the fields added; the builder can keep being used.</summary>
        public HttpHeaders Build() => _count == 0 ? Empty : new HttpHeaders(_buffer.AsSpan(0, _count).ToArray());

        /// <summary>Forgets every field, keeping the buffer for the next message.</summary>
        public void Clear()
        {
            Array.Clear(_buffer, 0, _count);
            _count = 0;
        }
    }
}
