using System.Text;

namespace Epsilon.Actors.Http.Model;

/// <summary>
/// An HTTP request method (RFC 9110 §9). The nine standard methods are interned singletons, so
/// comparing them is a reference comparison; <see cref="Parse(ReadOnlySpan{byte})"/> returns those
/// singletons without allocating. Method names are case-sensitive. Instances are immutable and
/// thread-safe.
/// </summary>
public sealed class HttpMethod : IEquatable<HttpMethod>
{
    /// <summary>GET: safe, idempotent, cacheable.</summary>
    public static readonly HttpMethod Get = new("GET", safe: true, idempotent: true);
    /// <summary>HEAD: GET without the response content (RFC 9110 §9.3.2).</summary>
    public static readonly HttpMethod Head = new("HEAD", safe: true, idempotent: true);
    /// <summary>POST: neither safe nor idempotent.</summary>
    public static readonly HttpMethod Post = new("POST", safe: false, idempotent: false);
    /// <summary>PUT: idempotent.</summary>
    public static readonly HttpMethod Put = new("PUT", safe: false, idempotent: true);
    /// <summary>DELETE: idempotent.</summary>
    public static readonly HttpMethod Delete = new("DELETE", safe: false, idempotent: true);
    /// <summary>PATCH (RFC 5789): neither safe nor idempotent.</summary>
    public static readonly HttpMethod Patch = new("PATCH", safe: false, idempotent: false);
    /// <summary>OPTIONS: safe; used for CORS preflight.</summary>
    public static readonly HttpMethod Options = new("OPTIONS", safe: true, idempotent: true);
    /// <summary>TRACE: safe.</summary>
    public static readonly HttpMethod Trace = new("TRACE", safe: true, idempotent: true);
    /// <summary>CONNECT: tunnel establishment.</summary>
    public static readonly HttpMethod Connect = new("CONNECT", safe: false, idempotent: false);

    private readonly byte[] _utf8;

    private HttpMethod(string name, bool safe, bool idempotent)
    {
        Name = name;
        IsSafe = safe;
        IsIdempotent = idempotent;
        _utf8 = Encoding.ASCII.GetBytes(name);
    }

    /// <summary>The method token as sent on the wire, e.g. <c>GET</c>.</summary>
    public string Name { get; }

    /// <summary>The method token as ASCII bytes, for renderers. Never modify it.</summary>
    public ReadOnlySpan<byte> NameBytes => _utf8;

    /// <summary>True for methods defined as safe (RFC 9110 §9.2.1).</summary>
    public bool IsSafe { get; }

    /// <summary>True for methods defined as idempotent (RFC 9110 §9.2.2).</summary>
    public bool IsIdempotent { get; }

    /// <summary>
    /// The interned method for <paramref name="name"/>, or a new instance for an extension method.
    /// Throws <see cref="ArgumentException"/> when <paramref name="name"/> is not an RFC 9110 token.
    /// </summary>
    public static HttpMethod FromName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var known = Known(name.AsSpan());
        if (known is not null) return known;
        if (!HttpToken.IsToken(name)) throw new ArgumentException($"'{name}' is not a valid method token.", nameof(name));
        return new HttpMethod(name, safe: false, idempotent: false);
    }

    /// <summary>
    /// The method for the ASCII bytes of a request line. Standard methods come back as their
    /// singletons with no allocation. Throws <see cref="ArgumentException"/> for a non-token.
    /// </summary>
    public static HttpMethod Parse(ReadOnlySpan<byte> ascii)
    {
        Span<char> chars = stackalloc char[Math.Min(ascii.Length, 16)];
        if (ascii.Length <= 16)
        {
            for (var i = 0; i < ascii.Length; i++) chars[i] = (char)ascii[i];
            var known = Known(chars[..ascii.Length]);
            if (known is not null) return known;
        }

        return FromName(Encoding.ASCII.GetString(ascii));
    }

    private static HttpMethod? Known(ReadOnlySpan<char> name) => name switch
    {
        "GET" => Get,
        "HEAD" => Head,
        "POST" => Post,
        "PUT" => Put,
        "DELETE" => Delete,
        "PATCH" => Patch,
        "OPTIONS" => Options,
        "TRACE" => Trace,
        "CONNECT" => Connect,
        _ => null,
    };

    /// <summary>Reference equality first, then an ordinal (case-sensitive) name comparison.</summary>
    public bool Equals(HttpMethod? other) =>
        ReferenceEquals(this, other) || (other is not null && string.Equals(Name, other.Name, StringComparison.Ordinal));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as HttpMethod);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);

    /// <summary>The method token.</summary>
    public override string ToString() => Name;

    /// <summary>Equality as in <see cref="Equals(HttpMethod?)"/>.</summary>
    public static bool operator ==(HttpMethod? left, HttpMethod? right) =>
        ReferenceEquals(left, right) || (left is not null && left.Equals(right));

    /// <summary>Inequality as in <see cref="Equals(HttpMethod?)"/>.</summary>
    public static bool operator !=(HttpMethod? left, HttpMethod? right) => !(left == right);
}
