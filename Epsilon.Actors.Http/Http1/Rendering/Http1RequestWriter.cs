using System.Buffers;
using Epsilon.Actors.Http.Http1.Parsing;

namespace Epsilon.Actors.Http.Http1.Rendering;

/// <summary>
/// Writes HTTP/1.1 requests (RFC 9112 §3) into an <see cref="IBufferWriter{T}"/>, for the client
/// and for round-trip tests: request line, fields, framing, end of head; the body as-is or
/// through <see cref="ChunkedBodyEncoder"/>. Stateless and thread-safe.
/// </summary>
internal static class Http1RequestWriter
{
    /// <summary>Writes <c>METHOD SP target SP HTTP/1.x CRLF</c>.</summary>
    /// <exception cref="ArgumentException">the method is not a token, or the target is empty or holds a byte outside printable ASCII.</exception>
    public static void WriteRequestLine(IBufferWriter<byte> output, ReadOnlySpan<byte> method, ReadOnlySpan<byte> target, Http1Version version = Http1Version.Http11)
    {
        if (method.IsEmpty || method.IndexOfAnyExcept(Http1Compliance.TokenChars) >= 0) throw new ArgumentException("method is not a token", nameof(method));
        if (target.IsEmpty || target.IndexOfAnyExceptInRange((byte)0x21, (byte)0x7E) >= 0) throw new ArgumentException("target must be printable ASCII without spaces", nameof(target));
        var length = method.Length + target.Length + 12;
        var span = output.GetSpan(length);
        method.CopyTo(span);
        span[method.Length] = (byte)' ';
        target.CopyTo(span[(method.Length + 1)..]);
        var at = method.Length + 1 + target.Length;
        span[at] = (byte)' ';
        (version == Http1Version.Http11 ? "HTTP/1.1\r\n"u8 : "HTTP/1.0\r\n"u8).CopyTo(span[(at + 1)..]);
        output.Advance(length);
    }

    /// <summary>Writes one field (name a token; value without controls but HTAB).</summary>
    /// <exception cref="ArgumentException">invalid name or value.</exception>
    public static void WriteField(IBufferWriter<byte> output, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) => Http1FieldWriter.WriteField(output, name, value);

    /// <summary>Writes one field from strings (Latin-1).</summary>
    /// <exception cref="ArgumentException">invalid name or value.</exception>
    public static void WriteField(IBufferWriter<byte> output, string name, string value) => Http1FieldWriter.WriteField(output, name, value);

    /// <summary>Writes the framing field: <c>Content-Length: n</c> or <c>Transfer-Encoding: chunked</c>; nothing for <see cref="Http1BodyFraming.None"/>.</summary>
    /// <exception cref="ArgumentException">close-delimited framing, which a request cannot have (RFC 9112 §6.3 item 7).</exception>
    public static void WriteFraming(IBufferWriter<byte> output, Http1BodyFraming framing, long contentLength)
    {
        switch (framing)
        {
            case Http1BodyFraming.ContentLength:
                ArgumentOutOfRangeException.ThrowIfNegative(contentLength);
                Http1FieldWriter.WriteNumberField(output, "Content-Length: "u8, contentLength);
                break;
            case Http1BodyFraming.Chunked:
                Http1FieldWriter.WriteRaw(output, "Transfer-Encoding: chunked\r\n"u8);
                break;
            case Http1BodyFraming.CloseDelimited:
                throw new ArgumentException("a request body cannot be close-delimited", nameof(framing));
        }
    }

    /// <summary>Ends the header section (CRLF). The body follows.</summary>
    public static void EndHead(IBufferWriter<byte> output) => Http1FieldWriter.EndSection(output);
}
