using System.Buffers;
using System.Buffers.Text;

namespace Epsilon.Actors.Http.Http1.Rendering;

/// <summary>
/// Writes the chunked transfer coding (RFC 9112 §7.1): <c>size-in-hex CRLF data CRLF</c> per
/// chunk, then <c>0 CRLF</c>, optional trailer fields and the final CRLF. Stateless and
/// thread-safe; an empty chunk is never written (it would end the body).
/// </summary>
internal static class ChunkedBodyEncoder
{
    /// <summary>Writes one chunk holding <paramref name="data"/>; nothing for empty data.</summary>
    public static void WriteChunk(IBufferWriter<byte> output, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        WriteChunkHeader(output, data.Length);
        Http1FieldWriter.WriteRaw(output, data);
        WriteChunkEnd(output);
    }

    /// <summary>Writes the chunk-size line of a chunk of <paramref name="length"/> bytes (positive); the caller writes the data and then <see cref="WriteChunkEnd"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">length is 0 or negative.</exception>
    public static void WriteChunkHeader(IBufferWriter<byte> output, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        var span = output.GetSpan(18);
        Utf8Formatter.TryFormat(length, span, out var written, new StandardFormat('X'));
        span[written] = (byte)'\r';
        span[written + 1] = (byte)'\n';
        output.Advance(written + 2);
    }

    /// <summary>Writes the CRLF after a chunk's data.</summary>
    public static void WriteChunkEnd(IBufferWriter<byte> output) => Http1FieldWriter.WriteRaw(output, "\r\n"u8);

    /// <summary>Ends the body without trailers: <c>0 CRLF CRLF</c>.</summary>
    public static void WriteLastChunk(IBufferWriter<byte> output) => Http1FieldWriter.WriteRaw(output, "0\r\n\r\n"u8);

    /// <summary>Begins the end of a body with trailers: <c>0 CRLF</c>; follow with <see cref="WriteTrailer(IBufferWriter{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte})"/> calls and <see cref="EndTrailers"/>.</summary>
    public static void BeginTrailers(IBufferWriter<byte> output) => Http1FieldWriter.WriteRaw(output, "0\r\n"u8);

    /// <summary>Writes one trailer field (validated like a header).</summary>
    /// <exception cref="ArgumentException">the name is not a token or the value holds a control character.</exception>
    public static void WriteTrailer(IBufferWriter<byte> output, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) => Http1FieldWriter.WriteField(output, name, value);

    /// <summary>Writes one trailer field from strings (Latin-1).</summary>
    /// <exception cref="ArgumentException">the name is not a token or the value holds a control character.</exception>
    public static void WriteTrailer(IBufferWriter<byte> output, string name, string value) => Http1FieldWriter.WriteField(output, name, value);

    /// <summary>Writes the CRLF that ends the trailer section and the body.</summary>
    public static void EndTrailers(IBufferWriter<byte> output) => Http1FieldWriter.EndSection(output);
}
