using System.Buffers;
using System.Buffers.Text;
using Epsilon.Actors.Http.Http1.Parsing;

namespace Epsilon.Actors.Http.Http1.Rendering;

/// <summary>
/// Writes field lines and numbers into an <see cref="IBufferWriter{T}"/>, shared by the request
/// and response writers. Names must be tokens and values must hold no control character but
/// HTAB (RFC 9110 §5.1, §5.5): a value with CR or LF would split the message, so it is refused
/// with <see cref="ArgumentException"/> rather than written. Strings are written as Latin-1
/// (a char above U+00FF is refused).
/// </summary>
internal static class Http1FieldWriter
{
    /// <summary>Writes <c>name: value CRLF</c>.</summary>
    /// <exception cref="ArgumentException">the name is not a token, or the value holds a control character.</exception>
    public static void WriteField(IBufferWriter<byte> output, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        CheckName(name);
        if (value.IndexOfAny(Http1Compliance.InvalidFieldValueChars) >= 0) throw new ArgumentException("field value holds a control character", nameof(value));
        var length = name.Length + value.Length + 4;
        var span = output.GetSpan(length);
        name.CopyTo(span);
        span[name.Length] = (byte)':';
        span[name.Length + 1] = (byte)' ';
        value.CopyTo(span[(name.Length + 2)..]);
        span[length - 2] = (byte)'\r';
        span[length - 1] = (byte)'\n';
        output.Advance(length);
    }

    /// <summary>Writes <c>name: value CRLF</c> from strings (Latin-1).</summary>
    /// <exception cref="ArgumentException">the name is not a token, or the value holds a control character or a char above U+00FF.</exception>
    public static void WriteField(IBufferWriter<byte> output, string name, string value)
    {
        var length = name.Length + value.Length + 4;
        var span = output.GetSpan(length);
        WriteLatin1(name, span);
        CheckName(span[..name.Length]);
        span[name.Length] = (byte)':';
        span[name.Length + 1] = (byte)' ';
        var valueBytes = span.Slice(name.Length + 2, value.Length);
        WriteLatin1(value, valueBytes);
        if (valueBytes.IndexOfAny(Http1Compliance.InvalidFieldValueChars) >= 0) throw new ArgumentException("field value holds a control character", nameof(value));
        span[length - 2] = (byte)'\r';
        span[length - 1] = (byte)'\n';
        output.Advance(length);
    }

    /// <summary>Writes <c>prefix</c> (a precomputed <c>"Name: "</c>), a decimal number and CRLF.</summary>
    public static void WriteNumberField(IBufferWriter<byte> output, ReadOnlySpan<byte> prefix, long number)
    {
        var span = output.GetSpan(prefix.Length + 22);
        prefix.CopyTo(span);
        Utf8Formatter.TryFormat(number, span[prefix.Length..], out var written);
        span[prefix.Length + written] = (byte)'\r';
        span[prefix.Length + written + 1] = (byte)'\n';
        output.Advance(prefix.Length + written + 2);
    }

    /// <summary>Copies precomputed bytes.</summary>
    public static void WriteRaw(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        var span = output.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        output.Advance(bytes.Length);
    }

    /// <summary>Writes the CRLF that ends a header or trailer section.</summary>
    public static void EndSection(IBufferWriter<byte> output) => WriteRaw(output, "\r\n"u8);

    private static void CheckName(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty || name.IndexOfAnyExcept(Http1Compliance.TokenChars) >= 0) throw new ArgumentException("field name is not a token", nameof(name));
    }

    private static void WriteLatin1(string text, Span<byte> destination)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c > 0xFF) throw new ArgumentException("field text holds a char above U+00FF", nameof(text));
            destination[i] = (byte)c;
        }
    }
}
