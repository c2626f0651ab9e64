namespace Epsilon.Actors.Http.Model;

/// <summary>
/// A media type with an optional charset, e.g. <c>text/plain; charset=utf-8</c>. The header value is
/// rendered once at construction, so the cached instances below cost nothing per response.
/// Immutable and thread-safe. Parameters other than charset are kept verbatim in <see cref="Value"/>.
/// </summary>
public sealed class ContentType : IEquatable<ContentType>
{
    /// <summary><c>text/plain; charset=utf-8</c>.</summary>
    public static readonly ContentType TextPlainUtf8 = new("text/plain", "utf-8");
    /// <summary><c>text/html; charset=utf-8</c>.</summary>
    public static readonly ContentType TextHtmlUtf8 = new("text/html", "utf-8");
    /// <summary><c>application/json</c> (UTF-8 by definition, RFC 8259 §8.1, so no charset).</summary>
    public static readonly ContentType ApplicationJson = new("application/json", null);
    /// <summary><c>application/octet-stream</c>.</summary>
    public static readonly ContentType ApplicationOctetStream = new("application/octet-stream", null);

    /// <summary>A content type; <paramref name="mediaType"/> must be <c>type/subtype</c> tokens.</summary>
    public ContentType(string mediaType, string? charset = null)
    {
        ArgumentNullException.ThrowIfNull(mediaType);
        var slash = mediaType.IndexOf('/');
        if (slash <= 0 || !HttpToken.IsToken(mediaType.AsSpan(0, slash)) || !HttpToken.IsToken(mediaType.AsSpan(slash + 1)))
            throw new ArgumentException($"'{mediaType}' is not a type/subtype media type.", nameof(mediaType));
        if (charset is not null && !HttpToken.IsToken(charset))
            throw new ArgumentException($"'{charset}' is not a valid charset.", nameof(charset));
        MediaType = mediaType.ToLowerInvariant();
        Charset = charset;
        Value = charset is null ? MediaType : $"{MediaType}; charset={charset}";
    }

    private ContentType(string mediaType, string? charset, string value)
    {
        MediaType = mediaType;
        Charset = charset;
        Value = value;
    }

    /// <summary>The lower-cased <c>type/subtype</c>.</summary>
    public string MediaType { get; }

    /// <summary>The charset parameter, or null.</summary>
    public string? Charset { get; }

    /// <summary>The Content-Type header value.</summary>
    public string Value { get; }

    /// <summary>
    /// Parses a Content-Type header value. Returns null for a value without a valid type/subtype;
    /// never throws. Quoted charsets are unquoted; other parameters stay in <see cref="Value"/>.
    /// </summary>
    public static ContentType? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var semi = value.IndexOf(';');
        var media = (semi < 0 ? value : value[..semi]).Trim();
        var slash = media.IndexOf('/');
        if (slash <= 0 || !HttpToken.IsToken(media.AsSpan(0, slash)) || !HttpToken.IsToken(media.AsSpan(slash + 1))) return null;
        string? charset = null;
        if (semi >= 0)
        {
            foreach (var part in value[(semi + 1)..].Split(';'))
            {
                var eq = part.IndexOf('=');
                if (eq > 0 && part[..eq].Trim().Equals("charset", StringComparison.OrdinalIgnoreCase))
                    charset = part[(eq + 1)..].Trim().Trim('"');
            }
        }

        return new ContentType(media.ToLowerInvariant(), charset, value.Trim());
    }

    /// <summary>True for <c>text/*</c>.</summary>
    public bool IsText => MediaType.StartsWith("text/", StringComparison.Ordinal);

    /// <summary>Case-insensitive comparison of media type and charset.</summary>
    public bool Equals(ContentType? other) =>
        other is not null && MediaType == other.MediaType && string.Equals(Charset, other.Charset, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ContentType);

    /// <inheritdoc />
    public override int GetHashCode() => MediaType.GetHashCode(StringComparison.Ordinal);

    /// <summary>The header value.</summary>
    public override string ToString() => Value;
}
