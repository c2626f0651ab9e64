using System.Buffers;

namespace Epsilon.Actors.Http.Http1.Parsing;

/// <summary>
/// Finds one CRLF-terminated line in the input, bounded, without allocating: a line inside one
/// segment is a slice of it; a line across segments is copied into a scratch array rented from
/// <see cref="ArrayPool{T}.Shared"/> and kept by the caller (who returns it when disposed).
/// </summary>
internal static class Http1LineReader
{
    /// <summary>
    /// Reads a line whose length including its CRLF is at most <paramref name="window"/> bytes.
    /// Returns false, consuming nothing, when the LF has not arrived yet; throws
    /// <paramref name="tooLong"/> when <paramref name="window"/> bytes are buffered without an
    /// LF, and <see cref="Http1RejectionReason.InvalidLineTerminator"/> for an LF without CR
    /// (RFC 9112 §2.2 lets a recipient accept a bare LF; we do not, see <see cref="Http1Compliance"/>).
    /// On true, <paramref name="line"/> is the content without CRLF and the reader is past the LF.
    /// </summary>
    public static bool TryReadLine(ref SequenceReader<byte> reader, long window, Http1RejectionReason tooLong, ref byte[]? scratch, out ReadOnlySpan<byte> line)
    {
        var span = reader.UnreadSpan;
        var searched = (int)Math.Min(window, span.Length);
        var lf = span[..searched].IndexOf((byte)'\n');
        if (lf >= 0)
        {
            line = span[..lf];
            reader.Advance(lf + 1);
        }
        else if (span.Length >= window || (window >= 2 && span.Length == window - 1 && span[^1] != (byte)'\r'))
        {
            // With window - 1 bytes and no LF, only a final CR could still make the line fit.
            Http1Rejection.Throw(tooLong);
            line = default;
        }
        else if (!TryReadAcrossSegments(ref reader, window, tooLong, ref scratch, out line))
        {
            return false;
        }

        if (line.IsEmpty || line[^1] != (byte)'\r') Http1Rejection.Throw(Http1RejectionReason.InvalidLineTerminator, "LF without CR");
        line = line[..^1];
        return true;
    }

    private static bool TryReadAcrossSegments(ref SequenceReader<byte> reader, long window, Http1RejectionReason tooLong, ref byte[]? scratch, out ReadOnlySpan<byte> line)
    {
        var unread = reader.UnreadSequence;
        var position = unread.Slice(0, Math.Min(window, unread.Length)).PositionOf((byte)'\n');
        if (position is null)
        {
            if (unread.Length >= window || (window >= 2 && unread.Length == window - 1 && unread.Slice(window - 2, 1).FirstSpan[0] != (byte)'\r'))
                Http1Rejection.Throw(tooLong);
            line = default;
            return false;
        }

        var content = unread.Slice(0, position.Value);
        var length = (int)content.Length;
        if (scratch is null || scratch.Length < length)
        {
            if (scratch is not null) ArrayPool<byte>.Shared.Return(scratch);
            scratch = ArrayPool<byte>.Shared.Rent(Math.Max(length, 256));
        }

        content.CopyTo(scratch);
        line = scratch.AsSpan(0, length);
        reader.Advance(length + 1);
        return true;
    }

    /// <summary>Returns a scratch array to the pool (safe with null).</summary>
    public static void ReturnScratch(ref byte[]? scratch)
    {
        if (scratch is null) return;
        ArrayPool<byte>.Shared.Return(scratch);
        scratch = null;
    }
}
