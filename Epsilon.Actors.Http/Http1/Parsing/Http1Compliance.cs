using System.Buffers;
using System.Text;

namespace Epsilon.Actors.Http.Http1.Parsing;

/// <summary>
/// Every MUST of RFC 9110 / RFC 9112 that the HTTP/1 parsers enforce, in one place, each with its
/// section (house rule 7). Pure functions over spans; they throw <see cref="Http1Rejection"/>.
/// The parsers only find lines and keep counts; the decisions are here.
/// </summary>
/// <remarks>
/// Policies where the RFCs leave a choice: a bare LF line terminator is rejected (RFC 9112 §2.2
/// allows accepting it; rejecting it leaves no room for disagreement with a proxy in front);
/// repeated or list-valued Content-Length with identical values is accepted as that one value
/// (RFC 9110 §8.6 allows either); CRLFs before a request line are skipped (RFC 9112 §2.2 SHOULD).
/// </remarks>
internal static class Http1Compliance
{
    /// <summary>tchar, RFC 9110 §5.6.2: the bytes of a method, a field name, a transfer coding.</summary>
    public static readonly SearchValues<byte> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>Bytes a field value may not hold (RFC 9110 §5.5): controls other than HTAB, and DEL.</summary>
    public static readonly SearchValues<byte> InvalidFieldValueChars = SearchValues.Create(
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 127]);

    /// <summary>Bytes of a Host value (RFC 9110 §7.2: uri-host [":" port], RFC 3986 §3.2.2 reg-name/IP-literal).</summary>
    public static readonly SearchValues<byte> HostChars =
        SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-._~%!$&'()*+,;=:[]"u8);

    private static readonly SearchValues<byte> s_hexDigits = SearchValues.Create("0123456789ABCDEFabcdef"u8);

    private const int TePresent = 1;
    private const int TeLastIsChunked = 2;
    private const int TeChunkedTwice = 4;
    private const int TeUnknownCoding = 8;
    private const int TeMalformed = 16;
    private const int TeSeenChunked = 32;

    /// <summary>
    /// Parses a request line without its CRLF: <c>method SP request-target SP HTTP-version</c>
    /// (RFC 9112 §3), one SP each, nothing else.
    /// </summary>
    public static Http1RequestLine ParseRequestLine(ReadOnlySpan<byte> line)
    {
        // §3: method = token (RFC 9110 §9.1); a single SP separates the three parts.
        var methodEnd = line.IndexOfAnyExcept(TokenChars);
        if (methodEnd <= 0 || line[methodEnd] != (byte)' ') Http1Rejection.Throw(Http1RejectionReason.InvalidRequestLine, "method");
        var methodToken = line[..methodEnd];
        var rest = line[(methodEnd + 1)..];

        var targetEnd = rest.IndexOf((byte)' ');
        if (targetEnd <= 0) Http1Rejection.Throw(Http1RejectionReason.InvalidRequestLine, "target");
        var target = rest[..targetEnd];
        var version = ParseVersion(rest[(targetEnd + 1)..], Http1RejectionReason.InvalidRequestLine);

        // §3.2: the target is a URI reference in ASCII without whitespace or controls.
        if (target.IndexOfAnyExceptInRange((byte)0x21, (byte)0x7E) >= 0) Http1Rejection.Throw(Http1RejectionReason.InvalidRequestTarget, "byte outside printable ASCII");
        var method = ParseMethod(methodToken);
        return new Http1RequestLine(method, methodToken, target, ClassifyTarget(method, target), version);
    }

    /// <summary>
    /// <c>HTTP/1.0</c> or <c>HTTP/1.1</c>; another well-formed <c>HTTP/d.d</c> is 505 (RFC 9110
    /// §15.6.6); anything else is <paramref name="malformed"/> (RFC 9112 §2.3: case-sensitive).
    /// </summary>
    public static Http1Version ParseVersion(ReadOnlySpan<byte> version, Http1RejectionReason malformed)
    {
        if (version.SequenceEqual("HTTP/1.1"u8)) return Http1Version.Http11;
        if (version.SequenceEqual("HTTP/1.0"u8)) return Http1Version.Http10;
        if (version.Length == 8 && version.StartsWith("HTTP/"u8) && char.IsAsciiDigit((char)version[5]) && version[6] == (byte)'.' && char.IsAsciiDigit((char)version[7]))
            Http1Rejection.Throw(Http1RejectionReason.UnsupportedHttpVersion);
        Http1Rejection.Throw(malformed, "version");
        return default;
    }

    /// <summary>Recognises the registered methods (case-sensitive, RFC 9110 §9.1).</summary>
    public static Http1Method ParseMethod(ReadOnlySpan<byte> token) => token.Length switch
    {
        3 when token.SequenceEqual("GET"u8) => Http1Method.Get,
        3 when token.SequenceEqual("PUT"u8) => Http1Method.Put,
        4 when token.SequenceEqual("POST"u8) => Http1Method.Post,
        4 when token.SequenceEqual("HEAD"u8) => Http1Method.Head,
        5 when token.SequenceEqual("PATCH"u8) => Http1Method.Patch,
        5 when token.SequenceEqual("TRACE"u8) => Http1Method.Trace,
        6 when token.SequenceEqual("DELETE"u8) => Http1Method.Delete,
        7 when token.SequenceEqual("OPTIONS"u8) => Http1Method.Options,
        7 when token.SequenceEqual("CONNECT"u8) => Http1Method.Connect,
        _ => Http1Method.Custom,
    };

    /// <summary>Which form the target is in, and whether its method allows it (RFC 9112 §3.2).</summary>
    public static Http1RequestTargetForm ClassifyTarget(Http1Method method, ReadOnlySpan<byte> target)
    {
        // §3.2.3: CONNECT takes the authority-form only (uri-host ":" port).
        if (method == Http1Method.Connect)
        {
            var colon = target.LastIndexOf((byte)':');
            if (target[0] == (byte)'/' || colon <= 0 || colon == target.Length - 1
                || target[(colon + 1)..].IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0
                || target.IndexOfAnyExcept(HostChars) >= 0)
                Http1Rejection.Throw(Http1RejectionReason.InvalidRequestTarget, "CONNECT needs host:port");
            return Http1RequestTargetForm.Authority;
        }

        if (target[0] == (byte)'/') return Http1RequestTargetForm.Origin;

        // §3.2.4: "*" for a server-wide OPTIONS only.
        if (target.Length == 1 && target[0] == (byte)'*')
        {
            if (method != Http1Method.Options) Http1Rejection.Throw(Http1RejectionReason.InvalidRequestTarget, "* is for OPTIONS only");
            return Http1RequestTargetForm.Asterisk;
        }

        // §3.2.2: absolute-URI = scheme ":" hier-part; scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
        var schemeEnd = target.IndexOf((byte)':');
        if (schemeEnd > 0 && char.IsAsciiLetter((char)target[0])
            && target[..schemeEnd].IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-."u8) < 0)
            return Http1RequestTargetForm.Absolute;

        Http1Rejection.Throw(Http1RejectionReason.InvalidRequestTarget, "not origin-form or absolute-form");
        return default;
    }

    /// <summary>
    /// Splits a field line without its CRLF into a token name and a value trimmed of OWS
    /// (RFC 9112 §5), rejecting what the RFCs say a server MUST reject.
    /// </summary>
    public static void SplitFieldLine(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        // §5.2: obs-fold (a line starting with SP/HTAB) MUST be rejected or replaced; we reject.
        // §2.2: whitespace between the start-line and the first field MUST be rejected or consumed; we reject.
        if (line.Length > 0 && line[0] is (byte)' ' or (byte)'\t') Http1Rejection.Throw(Http1RejectionReason.ObsoleteLineFolding);

        var nameEnd = line.IndexOfAnyExcept(TokenChars);
        if (nameEnd < 0) Http1Rejection.Throw(Http1RejectionReason.InvalidHeaderName, "no colon");
        if (line[nameEnd] != (byte)':')
        {
            // §5.1: whitespace between the field name and the colon MUST be answered with 400.
            if (line[nameEnd] is (byte)' ' or (byte)'\t') Http1Rejection.Throw(Http1RejectionReason.WhitespaceBeforeColon);
            Http1Rejection.Throw(Http1RejectionReason.InvalidHeaderName, "byte outside token");
        }

        // RFC 9110 §5.1: field-name = token, so never empty.
        if (nameEnd == 0) Http1Rejection.Throw(Http1RejectionReason.InvalidHeaderName, "empty name");
        name = line[..nameEnd];
        value = line[(nameEnd + 1)..].Trim(" \t"u8);

        // RFC 9110 §5.5: CR, LF and NUL MUST be rejected or replaced; we reject every control but HTAB.
        if (value.IndexOfAny(InvalidFieldValueChars) >= 0) Http1Rejection.Throw(Http1RejectionReason.InvalidHeaderValue);
    }

    /// <summary>
    /// Folds one Content-Length field value into <paramref name="contentLength"/> (-1: none yet).
    /// RFC 9110 §8.6: 1*DIGIT; a list or repeated field of identical values MAY be taken as one
    /// value (we do); differing values MUST be rejected (RFC 9112 §6.3 item 5).
    /// </summary>
    public static void AddContentLength(ReadOnlySpan<byte> value, ref long contentLength)
    {
        if (value.IsEmpty) Http1Rejection.Throw(Http1RejectionReason.InvalidContentLength, "empty");
        while (NextListElement(ref value, out var element))
        {
            // 18 digits always fit a long; more is treated as invalid rather than as a huge length.
            if (element.IsEmpty || element.Length > 18 || element.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
                Http1Rejection.Throw(Http1RejectionReason.InvalidContentLength);
            long parsed = 0;
            foreach (var b in element) parsed = (parsed * 10) + (b - '0');
            if (contentLength >= 0 && contentLength != parsed) Http1Rejection.Throw(Http1RejectionReason.ConflictingContentLength);
            contentLength = parsed;
        }
    }

    /// <summary>
    /// Folds one Transfer-Encoding field value (a list of codings, in the order applied, RFC 9112
    /// §6.1) into <paramref name="flags"/>; <see cref="DecideRequestFraming"/> judges the result.
    /// </summary>
    public static void AddTransferCodings(ReadOnlySpan<byte> value, ref int flags)
    {
        flags |= TePresent;
        if (value.IsEmpty) flags = (flags | TeMalformed) & ~TeLastIsChunked;
        while (NextListElement(ref value, out var element))
        {
            if (Ascii.EqualsIgnoreCase(element, "chunked"u8))
            {
                if ((flags & TeSeenChunked) != 0) flags |= TeChunkedTwice;
                flags |= TeSeenChunked | TeLastIsChunked;
                continue;
            }

            flags &= ~TeLastIsChunked;
            var tokenEnd = element.IndexOfAnyExcept(TokenChars);
            if (tokenEnd < 0)
            {
                flags |= element.IsEmpty ? TeMalformed : TeUnknownCoding;
                continue;
            }

            // A coding is a token with optional ";" parameters (RFC 9110 §10.1.4); anything else is malformed.
            var parameters = element[tokenEnd..].TrimStart(" \t"u8);
            flags |= tokenEnd > 0 && parameters.Length > 0 && parameters[0] == (byte)';' ? TeUnknownCoding : TeMalformed;
        }
    }

    /// <summary>
    /// Decides a request's body framing once its header section is complete (RFC 9112 §6.3 for a
    /// request: items 3, 4, 5, 6, 7) and checks Host (§3.2).
    /// </summary>
    public static Http1BodyFraming DecideRequestFraming(Http1Version version, int hostCount, long contentLength, int transferCodings)
    {
        // §3.2: a server MUST answer 400 to an HTTP/1.1 request without Host or with more than one.
        if (version == Http1Version.Http11 && hostCount != 1) Http1Rejection.Throw(Http1RejectionReason.InvalidHost, hostCount == 0 ? "missing" : "repeated");
        if (version == Http1Version.Http10 && hostCount > 1) Http1Rejection.Throw(Http1RejectionReason.InvalidHost, "repeated");

        if ((transferCodings & TePresent) != 0)
        {
            // §6.1: an HTTP/1.0 message with Transfer-Encoding MUST be treated as faulty framing.
            if (version == Http1Version.Http10) Http1Rejection.Throw(Http1RejectionReason.TransferEncodingInHttp10);
            // §6.1 / §6.3 item 3: a sender MUST NOT send Content-Length with Transfer-Encoding;
            // a server MAY reject such a request (we do: it is the classic smuggling vector).
            if (contentLength >= 0) Http1Rejection.Throw(Http1RejectionReason.ContentLengthWithTransferEncoding);
            // §6.3 item 4: chunked not final in a request MUST be answered with 400.
            if ((transferCodings & (TeLastIsChunked | TeMalformed)) != TeLastIsChunked) Http1Rejection.Throw(Http1RejectionReason.InvalidTransferEncoding, "chunked is not the final coding");
            // §6.1: a sender MUST NOT apply chunked more than once.
            if ((transferCodings & TeChunkedTwice) != 0) Http1Rejection.Throw(Http1RejectionReason.InvalidTransferEncoding, "chunked twice");
            // §6.1: a transfer coding the server does not understand SHOULD be answered with 501.
            if ((transferCodings & TeUnknownCoding) != 0) Http1Rejection.Throw(Http1RejectionReason.UnsupportedTransferCoding);
            return Http1BodyFraming.Chunked;
        }

        // Item 6 (a Content-Length above the body limit is answered 413 when the body is first
        // read, so a per-request limit can still raise it, as Kestrel does).
        if (contentLength >= 0) return Http1BodyFraming.ContentLength;

        // §6.3 item 7: a request with neither has no body.
        return Http1BodyFraming.None;
    }

    /// <summary>
    /// Decides a response's body framing (RFC 9112 §6.3 items 1, 2, 4, 6, 8) from the request
    /// method and the response's status and headers.
    /// </summary>
    public static Http1BodyFraming DecideResponseFraming(int statusCode, Http1Method requestMethod, long contentLength, int transferCodings)
    {
        // Item 1: HEAD, 1xx, 204, 304 end after the header section.
        if (requestMethod == Http1Method.Head || statusCode is < 200 or 204 or 304) return Http1BodyFraming.None;
        // Item 2: a 2xx answer to CONNECT switches to a tunnel.
        if (requestMethod == Http1Method.Connect && statusCode is >= 200 and < 300) return Http1BodyFraming.None;
        if ((transferCodings & TePresent) != 0)
        {
            if ((transferCodings & TeChunkedTwice) != 0 || (transferCodings & TeMalformed) != 0) Http1Rejection.Throw(Http1RejectionReason.InvalidTransferEncoding);
            // Item 4: chunked final → chunked; otherwise the body ends at close.
            return (transferCodings & TeLastIsChunked) != 0 && (transferCodings & TeUnknownCoding) == 0
                ? Http1BodyFraming.Chunked
                : Http1BodyFraming.CloseDelimited;
        }

        return contentLength >= 0 ? Http1BodyFraming.ContentLength : Http1BodyFraming.CloseDelimited;
    }

    /// <summary>
    /// Checks a Host value: <c>uri-host [":" port]</c> (RFC 9110 §7.2); empty is valid (RFC 9112
    /// §3.2), an invalid one MUST be answered with 400 (§3.2).
    /// </summary>
    public static void CheckHost(ReadOnlySpan<byte> value)
    {
        if (value.IndexOfAnyExcept(HostChars) >= 0) Http1Rejection.Throw(Http1RejectionReason.InvalidHost, "invalid value");
    }

    /// <summary>The <c>Connection</c> options the server acts on (RFC 9110 §7.6.1; case-insensitive tokens).</summary>
    public static Http1ConnectionOptions ParseConnection(ReadOnlySpan<byte> value)
    {
        var options = Http1ConnectionOptions.None;
        while (NextListElement(ref value, out var token))
        {
            if (Ascii.EqualsIgnoreCase(token, "close"u8)) options |= Http1ConnectionOptions.Close;
            else if (Ascii.EqualsIgnoreCase(token, "keep-alive"u8)) options |= Http1ConnectionOptions.KeepAlive;
            else if (Ascii.EqualsIgnoreCase(token, "upgrade"u8)) options |= Http1ConnectionOptions.Upgrade;
        }

        return options;
    }

    /// <summary>Folds one <c>Expect</c> value (RFC 9110 §10.1.1): only <c>100-continue</c> is known.</summary>
    public static Http1Expectation AddExpectation(ReadOnlySpan<byte> value, Http1Expectation current)
    {
        if (current == Http1Expectation.Unsupported) return current;
        if (value.IsEmpty) return current;
        return Ascii.EqualsIgnoreCase(value, "100-continue"u8) ? Http1Expectation.Continue : Http1Expectation.Unsupported;
    }

    /// <summary>
    /// Parses a chunk-size line without its CRLF (RFC 9112 §7.1: <c>chunk-size [ chunk-ext ]</c>,
    /// <c>chunk-size = 1*HEXDIG</c>; §7.1.1: <c>chunk-ext = *( BWS ";" BWS chunk-ext-name
    /// [ BWS "=" BWS chunk-ext-val ] )</c>, names tokens, values tokens or quoted strings).
    /// Whitespace is allowed only where that grammar puts BWS: before a <c>;</c>, around the
    /// <c>=</c> and after a <c>;</c>, never at the end of the line, so <c>5 </c> and
    /// <c>5;a=b </c> are rejected (a recipient that skipped it could frame the body differently
    /// from one that does not). Extensions are otherwise ignored (§7.1.1 MUST ignore unrecognised
    /// ones). Returns the size; <paramref name="extensionLength"/> is the bytes after the hex
    /// digits, which the caller charges to its extension budget (§7.1.1: a server ought to limit them).
    /// </summary>
    /// <exception cref="Http1Rejection">400: no hex digit, anything but BWS and <c>;</c> after them
    /// (<see cref="Http1RejectionReason.InvalidChunkSize"/>), or extensions off the grammar
    /// (<see cref="Http1RejectionReason.InvalidChunkExtension"/>); overflow.</exception>
    public static long ParseChunkSizeLine(ReadOnlySpan<byte> line, out int extensionLength)
    {
        var digits = line.IndexOfAnyExcept(s_hexDigits);
        if (digits < 0) digits = line.Length;
        if (digits == 0) Http1Rejection.Throw(Http1RejectionReason.InvalidChunkSize);

        long size = 0;
        foreach (var b in line[..digits])
        {
            // §7.1: recipients MUST anticipate large sizes and prevent integer overflow.
            if (size > (long.MaxValue >> 4)) Http1Rejection.Throw(Http1RejectionReason.ChunkSizeOverflow);
            size = (size << 4) | (long)HexValue(b);
        }

        extensionLength = line.Length - digits;
        if (extensionLength == 0) return size;
        // §7.1: only HEXDIG in chunk-size; whitespace after it is BWS, allowed only before a ";".
        var extensions = line[digits..].TrimStart(" \t"u8);
        if (extensions.IsEmpty || extensions[0] != (byte)';') Http1Rejection.Throw(Http1RejectionReason.InvalidChunkSize, "whitespace or junk after size");
        if (!IsChunkExtensions(extensions)) Http1Rejection.Throw(Http1RejectionReason.InvalidChunkExtension);
        return size;
    }

    /// <summary>Whether <paramref name="rest"/> is <c>1*( BWS ";" BWS token [ BWS "=" BWS ( token / quoted-string ) ] )</c> (RFC 9112 §7.1.1).</summary>
    private static bool IsChunkExtensions(ReadOnlySpan<byte> rest)
    {
        while (!rest.IsEmpty)
        {
            // Whitespace with no ";" after it (at the end of the line) is not BWS of any rule.
            rest = rest.TrimStart(" \t"u8);
            if (rest.IsEmpty || rest[0] != (byte)';') return false;
            rest = rest[1..].TrimStart(" \t"u8);
            var nameEnd = TokenLength(rest);
            if (nameEnd == 0) return false;
            rest = rest[nameEnd..];
            var afterName = rest.TrimStart(" \t"u8);
            if (afterName.IsEmpty || afterName[0] != (byte)'=') continue;
            rest = afterName[1..].TrimStart(" \t"u8);
            var valueEnd = !rest.IsEmpty && rest[0] == (byte)'"' ? QuotedStringLength(rest) : TokenLength(rest);
            if (valueEnd <= 0) return false;
            rest = rest[valueEnd..];
        }

        return true;
    }

    private static int TokenLength(ReadOnlySpan<byte> span)
    {
        var end = span.IndexOfAnyExcept(TokenChars);
        return end < 0 ? span.Length : end;
    }

    /// <summary>Length of the quoted-string that starts <paramref name="span"/> (RFC 9110 §5.6.4), or -1 when it is not one.</summary>
    private static int QuotedStringLength(ReadOnlySpan<byte> span)
    {
        for (var i = 1; i < span.Length; i++)
        {
            var c = span[i];
            if (c == (byte)'"') return i + 1;
            if (c == (byte)'\\')
            {
                // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
                if (++i >= span.Length) return -1;
                c = span[i];
                if ((c != (byte)'\t' && c < 0x20) || c == 0x7F) return -1;
                continue;
            }

            // qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
            if ((c != (byte)'\t' && c < 0x20) || c == 0x7F) return -1;
        }

        return -1;
    }

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;

    /// <summary>The next element of a comma-separated list with OWS around elements (RFC 9110 §5.6.1).</summary>
    private static bool NextListElement(ref ReadOnlySpan<byte> rest, out ReadOnlySpan<byte> element)
    {
        if (rest.IsEmpty)
        {
            element = default;
            return false;
        }

        var comma = rest.IndexOf((byte)',');
        if (comma < 0)
        {
            element = rest.Trim(" \t"u8);
            rest = default;
        }
        else
        {
            element = rest[..comma].Trim(" \t"u8);
            rest = rest[(comma + 1)..];
            if (rest.IsEmpty) rest = " "u8;
        }

        return true;
    }
}
