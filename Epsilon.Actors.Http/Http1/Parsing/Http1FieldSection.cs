using System.Buffers;

namespace Epsilon.Actors.Http.Http1.Parsing;

/// <summary>
/// Reads the field lines of one header or trailer section (RFC 9112 §5, §7.1.2) and keeps its
/// budget: the count of lines and their bytes (each with its CRLF; the final empty line not
/// counted). A mutable struct owned by a parser; <see cref="Reset"/> before each section.
/// </summary>
internal struct Http1FieldSection
{
    private readonly int _maxBytes;
    private readonly int _maxCount;
    private readonly Http1RejectionReason _tooLarge;
    private readonly Http1RejectionReason _tooMany;
    private int _bytes;
    private int _count;

    /// <summary>A section of at most <paramref name="maxCount"/> lines and <paramref name="maxBytes"/> bytes.</summary>
    public Http1FieldSection(int maxBytes, int maxCount, bool trailers)
    {
        _maxBytes = maxBytes;
        _maxCount = maxCount;
        _tooLarge = trailers ? Http1RejectionReason.TrailersTooLarge : Http1RejectionReason.HeadersTooLarge;
        _tooMany = trailers ? Http1RejectionReason.TrailersTooLarge : Http1RejectionReason.TooManyHeaders;
    }

    /// <summary>Field lines read so far in this section.</summary>
    public readonly int Count => _count;

    /// <summary>Bytes of field lines read so far, each with its CRLF.</summary>
    public readonly int Bytes => _bytes;

    /// <summary>Starts a new section.</summary>
    public void Reset()
    {
        _bytes = 0;
        _count = 0;
    }

    /// <summary>
    /// Reads the next field line or the end of the section. Incomplete lines consume nothing.
    /// Throws <see cref="Http1Rejection"/> for a line past the budget or an invalid line.
    /// </summary>
    public Http1FieldLineStatus TryReadField(ref SequenceReader<byte> reader, ref byte[]? scratch, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        name = default;
        value = default;
        if (!reader.TryPeek(out var first)) return Http1FieldLineStatus.NeedMoreData;
        if (first == (byte)'\r')
        {
            if (!reader.TryPeek(1, out var second)) return Http1FieldLineStatus.NeedMoreData;
            if (second != (byte)'\n') Http1Rejection.Throw(Http1RejectionReason.InvalidLineTerminator, "CR without LF");
            reader.Advance(2);
            return Http1FieldLineStatus.End;
        }

        if (!Http1LineReader.TryReadLine(ref reader, _maxBytes - _bytes, _tooLarge, ref scratch, out var line))
            return Http1FieldLineStatus.NeedMoreData;
        if (_count == _maxCount) Http1Rejection.Throw(_tooMany);
        _bytes += line.Length + 2;
        _count++;
        Http1Compliance.SplitFieldLine(line, out name, out value);
        return Http1FieldLineStatus.Field;
    }
}
