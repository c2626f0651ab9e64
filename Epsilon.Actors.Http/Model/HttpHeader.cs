namespace Epsilon.Actors.Http.Model;

/// <summary>
/// One header field: a name, a value and the name's <see cref="KnownHeader"/> id (resolved once
/// at construction). A small immutable value; names compare case-insensitively.
/// </summary>
public readonly struct HttpHeader
{
    /// <summary>
    /// A header. A well-known <paramref name="name"/> is replaced by its canonical interned string.
    /// Throws <see cref="ArgumentException"/> when the name is not a token or the value holds CR, LF or NUL.
    /// </summary>
    public HttpHeader(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        var id = KnownHeaders.Lookup(name.AsSpan());
        if (id == KnownHeader.None && !HttpToken.IsToken(name))
            throw new ArgumentException($"'{name}' is not a valid header name.", nameof(name));
        if (value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            throw new ArgumentException($"The value of header '{name}' contains CR, LF or NUL.", nameof(value));
        Id = id;
        Name = id == KnownHeader.None ? name : KnownHeaders.NameOf(id);
        Value = value;
    }

    /// <summary>A well-known header; no validation of the name is needed.</summary>
    public HttpHeader(KnownHeader id, string value)
    {
        if (id == KnownHeader.None) throw new ArgumentException("Use the (name, value) constructor for other headers.", nameof(id));
        ArgumentNullException.ThrowIfNull(value);
        if (value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            throw new ArgumentException($"The value of header '{KnownHeaders.NameOf(id)}' contains CR, LF or NUL.", nameof(value));
        Id = id;
        Name = KnownHeaders.NameOf(id);
        Value = value;
    }

    /// <summary>The name as given, or the canonical spelling for a well-known header.</summary>
    public string Name { get; }

    /// <summary>The field value, without surrounding whitespace.</summary>
    public string Value { get; }

    /// <summary>The well-known id of <see cref="Name"/>, or <see cref="KnownHeader.None"/>.</summary>
    public KnownHeader Id { get; }

    /// <summary>True when this header's name equals <paramref name="name"/> case-insensitively.</summary>
    public bool Is(string name) => string.Equals(Name, name, StringComparison.OrdinalIgnoreCase);

    /// <summary>"Name: value".</summary>
    public override string ToString() => $"{Name}: {Value}";
}
