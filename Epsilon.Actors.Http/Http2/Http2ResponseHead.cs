using System.Buffers;
using System.Globalization;
using Epsilon.Actors.Http.Http2.Hpack;
using Epsilon.Actors.Http.Model;

namespace Epsilon.Actors.Http.Http2;

/// <summary>
/// Encodes a response head (or trailers) as an HPACK header block (RFC 9113 §8.3.2): <c>:status</c>
/// first, then the fields with lowercase names. Fields that only mean something to HTTP/1.1 and
/// that shared handlers or middleware may set (<c>Connection</c>, <c>Keep-Alive</c>,
/// <c>Transfer-Encoding</c>, <c>Upgrade</c>, <c>Proxy-Connection</c>) are never sent: a browser
/// fails the stream on them (§8.2.2).
/// </summary>
internal static class Http2ResponseHead
{
    /// <summary>Writes the head of a response with <paramref name="status"/>.</summary>
    /// <param name="encoder">The connection's HPACK encoder.</param>
    /// <param name="output">Where the block goes (framed by the caller).</param>
    /// <param name="status">The status code.</param>
    /// <param name="headers">The response's fields.</param>
    /// <param name="contentType">The entity's type, written unless the status has no content.</param>
    /// <param name="contentLength">Written as <c>content-length</c> when known and not already among <paramref name="headers"/>.</param>
    /// <param name="date">The <c>date</c> value to add when <paramref name="headers"/> has none, or null.</param>
    /// <param name="server">The <c>server</c> value to add when <paramref name="headers"/> has none, or null.</param>
    public static void Write(HpackEncoder encoder, IBufferWriter<byte> output, int status, HttpHeaders headers, ContentType? contentType, long? contentLength, string? date = null, string? server = null)
    {
        encoder.BeginBlock(output);
        encoder.Encode(output, ":status", StatusText(status));
        if (date is not null && !headers.Contains(KnownHeader.Date)) encoder.Encode(output, "date", date);
        if (server is not null && !headers.Contains(KnownHeader.Server)) encoder.Encode(output, "server", server);
        if (contentType is not null && status is not (204 or 304) && !headers.Contains(KnownHeader.ContentType)) encoder.Encode(output, "content-type", contentType.Value);
        if (contentLength is { } length && !headers.Contains(KnownHeader.ContentLength)) encoder.Encode(output, "content-length", length.ToString(CultureInfo.InvariantCulture));
        WriteFields(encoder, output, headers);
    }

    /// <summary>Writes trailers: the fields alone, connection-specific ones dropped.</summary>
    public static void WriteTrailers(HpackEncoder encoder, IBufferWriter<byte> output, HttpHeaders trailers)
    {
        encoder.BeginBlock(output);
        WriteFields(encoder, output, trailers);
    }

    /// <summary>Whether a field is specific to an HTTP/1.1 connection and must not be sent on HTTP/2.</summary>
    public static bool IsConnectionSpecific(in HttpHeader header) =>
        header.Id is KnownHeader.Connection or KnownHeader.TransferEncoding or KnownHeader.Upgrade
        || header.Name.Equals("keep-alive", StringComparison.OrdinalIgnoreCase)
        || header.Name.Equals("proxy-connection", StringComparison.OrdinalIgnoreCase);

    private static void WriteFields(HpackEncoder encoder, IBufferWriter<byte> output, HttpHeaders headers)
    {
        foreach (var header in headers)
        {
            if (IsConnectionSpecific(header)) continue;
            encoder.Encode(output, LowerName(header), header.Value);
        }
    }

    private static string LowerName(in HttpHeader header)
    {
        if (header.Id != KnownHeader.None) return KnownHeaders.LowerNameOf(header.Id);
        var name = header.Name;
        foreach (var c in name)
        {
            if (c is >= 'A' and <= 'Z') return name.ToLowerInvariant();
        }

        return name;
    }

    private static string StatusText(int status) => status switch
    {
        200 => "200",
        204 => "204",
        206 => "206",
        304 => "304",
        400 => "400",
        404 => "404",
        500 => "500",
        _ => status.ToString(CultureInfo.InvariantCulture),
    };
}
