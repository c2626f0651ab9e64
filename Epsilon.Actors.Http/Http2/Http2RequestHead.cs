using Epsilon.Actors.Http.Http2.Hpack;
using Epsilon.Actors.Http.Model;

namespace Epsilon.Actors.Http.Http2;

/// <summary>
/// Collects a request's (or its trailers') decoded fields and checks them against RFC 9113 §8.2
/// and §8.3: lowercase names, valid values, pseudo-headers (known, once each, before every regular
/// field, the required ones present), no connection-specific fields, <c>te</c> only as
/// <c>trailers</c>, CONNECT and extended CONNECT (RFC 8441) forms, <c>host</c> agreeing with
/// <c>:authority</c>. Split <c>cookie</c> fields are joined with "; " for the handler (§8.2.3), and
/// <c>:authority</c> becomes <c>host</c> when the request has none. A malformed request is a
/// stream error of type PROTOCOL_ERROR (§8.1.1); <see cref="Error"/> says why. One per connection,
/// reset for each block.
/// </summary>
internal sealed class Http2RequestHead : IHpackHeaderHandler
{
    private readonly HttpHeaders.Builder _headers = HttpHeaders.CreateBuilder(16);
    private readonly List<string> _cookies = [];
    private readonly string?[] _pseudo = new string?[5];
    private string? _host;
    private bool _trailers;
    private bool _regularSeen;

    /// <summary>Whether extended CONNECT is enabled (SETTINGS_ENABLE_CONNECT_PROTOCOL sent as 1).</summary>
    public bool AllowProtocol { get; init; }

    /// <summary>The first rule broken, or null.</summary>
    public string? Error { get; private set; }

    /// <summary>:method.</summary>
    public string? Method => _pseudo[0];

    /// <summary>:scheme.</summary>
    public string? Scheme => _pseudo[1];

    /// <summary>:authority.</summary>
    public string? Authority => _pseudo[2];

    /// <summary>:path.</summary>
    public string? Path => _pseudo[3];

    /// <summary>:protocol (extended CONNECT).</summary>
    public string? Protocol => _pseudo[4];

    /// <summary>The content-length field, -1 when absent.</summary>
    public long ContentLength { get; private set; } = -1;

    /// <summary>The <c>priority</c> field's value (RFC 9218), or null.</summary>
    public string? Priority { get; private set; }

    /// <summary>Starts a block: a request's head, or (<paramref name="trailers"/>) its trailers, where no pseudo-header is allowed.</summary>
    public void Begin(bool trailers)
    {
        _headers.Clear();
        _cookies.Clear();
        _trailers = trailers;
        _regularSeen = false;
        Error = null;
        Array.Clear(_pseudo);
        _host = null;
        Priority = null;
        ContentLength = -1;
    }

    /// <inheritdoc />
    public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (Error is not null) return;
        if (name.IsEmpty)
        {
            Fail("an empty field name");
            return;
        }

        if (!ValidValue(value))
        {
            Fail($"the value of {Text(name)} has NUL, CR, LF or surrounding whitespace (§8.2.1)");
            return;
        }

        if (name[0] == (byte)':')
        {
            OnPseudo(name, value);
            return;
        }

        _regularSeen = true;
        foreach (var b in name)
        {
            if (b is >= (byte)'A' and <= (byte)'Z')
            {
                Fail($"the field name {Text(name)} has uppercase letters (§8.2.1)");
                return;
            }

            if (!HttpToken.IsTokenChar((char)b))
            {
                Fail($"the field name {Text(name)} is not a token");
                return;
            }
        }

        if (name.SequenceEqual("connection"u8) || name.SequenceEqual("keep-alive"u8) || name.SequenceEqual("proxy-connection"u8)
            || name.SequenceEqual("transfer-encoding"u8) || name.SequenceEqual("upgrade"u8))
        {
            Fail($"the connection-specific field {Text(name)} (§8.2.2)");
            return;
        }

        if (name.SequenceEqual("te"u8) && !value.SequenceEqual("trailers"u8))
        {
            Fail("te other than \"trailers\" (§8.2.2)");
            return;
        }

        if (name.SequenceEqual("cookie"u8))
        {
            _cookies.Add(Text(value));
            return;
        }

        if (name.SequenceEqual("content-length"u8) && !_trailers)
        {
            if (!long.TryParse(value, System.Globalization.NumberStyles.None, null, out var length) || ContentLength >= 0 && ContentLength != length)
            {
                Fail("an invalid content-length");
                return;
            }

            ContentLength = length;
        }

        if (name.SequenceEqual("host"u8)) _host ??= Text(value);
        if (name.SequenceEqual("priority"u8)) Priority = Priority is null ? Text(value) : Priority + ", " + Text(value);
        _headers.Add(name, value);
    }

    /// <summary>Finishes the block: null when malformed (see <see cref="Error"/>), else the fields as the handler sees them.</summary>
    public HttpHeaders? Complete()
    {
        if (Error is null && !_trailers) CheckRequest();
        if (Error is not null) return null;
        if (_cookies.Count > 0) _headers.Add("cookie", string.Join("; ", _cookies));
        return _headers.Build();
    }

    private void CheckRequest()
    {
        if (Method is null)
        {
            Fail("no :method");
            return;
        }

        var hostValue = _host;
        if (Authority is not null && hostValue is not null && !string.Equals(Authority, hostValue, StringComparison.OrdinalIgnoreCase))
        {
            Fail("host differs from :authority (§8.3.1)");
            return;
        }

        if (Method == "CONNECT" && Protocol is null)
        {
            // §8.5: only :method and :authority.
            if (Scheme is not null || Path is not null) Fail("CONNECT with :scheme or :path (§8.5)");
            else if (Authority is null) Fail("CONNECT without :authority (§8.5)");
            return;
        }

        if (Protocol is not null && Method != "CONNECT")
        {
            Fail(":protocol on a method other than CONNECT (RFC 8441 §4)");
            return;
        }

        if (Scheme is null || Path is null)
        {
            Fail("no :scheme or no :path (§8.3.1)");
            return;
        }

        if (Path.Length == 0 || Path[0] != '/' && !(Path == "*" && Method == "OPTIONS"))
        {
            Fail(":path is empty or not origin-form (§8.3.1)");
            return;
        }

        if (Authority is not null && hostValue is null) _headers.Add("host", Authority);
    }

    private void OnPseudo(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (_trailers)
        {
            Fail($"the pseudo-header {Text(name)} in trailers (§8.1)");
            return;
        }

        if (_regularSeen)
        {
            Fail($"the pseudo-header {Text(name)} after a regular field (§8.3)");
            return;
        }

        var slot = name switch
        {
            _ when name.SequenceEqual(":method"u8) => 0,
            _ when name.SequenceEqual(":scheme"u8) => 1,
            _ when name.SequenceEqual(":authority"u8) => 2,
            _ when name.SequenceEqual(":path"u8) => 3,
            _ when name.SequenceEqual(":protocol"u8) && AllowProtocol => 4,
            _ => -1,
        };
        if (slot < 0) Fail($"the pseudo-header {Text(name)} is not a request pseudo-header (§8.3)");
        else if (_pseudo[slot] is not null) Fail($"{Text(name)} twice (§8.3)");
        else _pseudo[slot] = Text(value);
    }

    private static bool ValidValue(ReadOnlySpan<byte> value)
    {
        if (value.IndexOfAny((byte)0, (byte)'\r', (byte)'\n') >= 0) return false;
        return value.IsEmpty || value[0] is not ((byte)' ' or (byte)'\t') && value[^1] is not ((byte)' ' or (byte)'\t');
    }

    private void Fail(string reason) => Error ??= reason;

    private static string Text(ReadOnlySpan<byte> bytes) => System.Text.Encoding.Latin1.GetString(bytes);
}
