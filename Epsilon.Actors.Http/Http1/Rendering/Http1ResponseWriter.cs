using System.Buffers;
using Epsilon.Actors.Http.Http1.Parsing;

namespace Epsilon.Actors.Http.Http1.Rendering;

/// <summary>
/// Writes HTTP/1.1 responses (RFC 9112 §4, §6) into an <see cref="IBufferWriter{T}"/>: the
/// head from an <see cref="Http1ResponsePlan"/> (status line, framing and Connection headers),
/// then the application's fields, then <see cref="EndHead"/>; the body as-is (Content-Length)
/// or through <see cref="ChunkedBodyEncoder"/>. The server always answers as HTTP/1.1 (RFC 9110
/// §6.2: its highest minor version). Stateless and thread-safe.
/// </summary>
/// <remarks>
/// The application's own Content-Length, Transfer-Encoding and Connection fields must not be
/// written through <see cref="WriteField(IBufferWriter{byte}, string, string)"/>: the plan owns
/// framing and persistence, so a response can never carry two disagreeing lengths.
/// </remarks>
internal static class Http1ResponseWriter
{
    /// <summary>
    /// Writes the status line, then <c>Content-Length</c> (also for HEAD, with the length a GET
    /// would get) or <c>Transfer-Encoding: chunked</c>, then the Connection header, as the plan says.
    /// </summary>
    public static void WriteResponseHead(IBufferWriter<byte> output, in Http1ResponsePlan plan)
    {
        Http1FieldWriter.WriteRaw(output, Http1StatusLines.For(plan.StatusCode));
        switch (plan.Framing)
        {
            case Http1BodyFraming.ContentLength:
                // RFC 9110 §8.6: no Content-Length in a 1xx or 204 (the plan never frames those).
                Http1FieldWriter.WriteNumberField(output, "Content-Length: "u8, plan.ContentLength);
                break;
            case Http1BodyFraming.Chunked:
                Http1FieldWriter.WriteRaw(output, "Transfer-Encoding: chunked\r\n"u8);
                break;
        }

        switch (plan.ConnectionHeader)
        {
            case Http1ConnectionHeader.Close:
                Http1FieldWriter.WriteRaw(output, "Connection: close\r\n"u8);
                break;
            case Http1ConnectionHeader.KeepAlive:
                Http1FieldWriter.WriteRaw(output, "Connection: keep-alive\r\n"u8);
                break;
            case Http1ConnectionHeader.Upgrade:
                Http1FieldWriter.WriteRaw(output, "Connection: Upgrade\r\n"u8);
                break;
        }
    }

    /// <summary>Writes <c>Date: …</c> from the cache (formatted at most once per second).</summary>
    public static void WriteDate(IBufferWriter<byte> output, DateHeaderCache cache, DateTimeOffset utcNow) =>
        Http1FieldWriter.WriteRaw(output, cache.GetHeaderLine(utcNow));

    /// <summary>Writes <c>Content-Type: value</c>.</summary>
    /// <exception cref="ArgumentException">the value holds a control character.</exception>
    public static void WriteContentType(IBufferWriter<byte> output, ReadOnlySpan<byte> value) => Http1FieldWriter.WriteField(output, "Content-Type"u8, value);

    /// <summary>Writes <c>Server: value</c>.</summary>
    /// <exception cref="ArgumentException">the value holds a control character.</exception>
    public static void WriteServer(IBufferWriter<byte> output, ReadOnlySpan<byte> value) => Http1FieldWriter.WriteField(output, "Server"u8, value);

    /// <summary>Writes one field (name a token; value without controls but HTAB).</summary>
    /// <exception cref="ArgumentException">invalid name or value: nothing is written.</exception>
    public static void WriteField(IBufferWriter<byte> output, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) => Http1FieldWriter.WriteField(output, name, value);

    /// <summary>Writes one field from strings (Latin-1).</summary>
    /// <exception cref="ArgumentException">invalid name or value.</exception>
    public static void WriteField(IBufferWriter<byte> output, string name, string value) => Http1FieldWriter.WriteField(output, name, value);

    /// <summary>Ends the header section (CRLF). The body follows.</summary>
    public static void EndHead(IBufferWriter<byte> output) => Http1FieldWriter.EndSection(output);

    /// <summary>Writes the interim <c>HTTP/1.1 100 Continue</c> response (RFC 9110 §15.2.1), complete.</summary>
    public static void WriteContinue(IBufferWriter<byte> output) => Http1FieldWriter.WriteRaw(output, "HTTP/1.1 100 Continue\r\n\r\n"u8);

    /// <summary>
    /// Writes a complete, empty error response the server sends on its own (a rejection's status,
    /// 408, 417): status line, <c>Content-Length: 0</c>, optionally <c>Connection: close</c> and the Date line.
    /// </summary>
    public static void WriteServerError(IBufferWriter<byte> output, int statusCode, bool close, ReadOnlySpan<byte> dateLine)
    {
        Http1FieldWriter.WriteRaw(output, Http1StatusLines.For(statusCode));
        Http1FieldWriter.WriteRaw(output, "Content-Length: 0\r\n"u8);
        if (close) Http1FieldWriter.WriteRaw(output, "Connection: close\r\n"u8);
        Http1FieldWriter.WriteRaw(output, dateLine);
        Http1FieldWriter.EndSection(output);
    }
}
