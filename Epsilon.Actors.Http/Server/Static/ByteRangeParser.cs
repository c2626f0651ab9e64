namespace Epsilon.Actors.Http.Server.Static;

/// <summary>
/// Pure evaluation of a <c>Range</c> header against a representation's length (RFC 9110 §14.1.2, §14.2).
/// <list type="bullet">
/// <item>No header, a unit other than <c>bytes</c>, or bad syntax: the header is ignored (whole representation).</item>
/// <item>One satisfiable range (<c>a-b</c>, <c>a-</c>, <c>-n</c>): that range, its end clamped to the length.</item>
/// <item>Several ranges of which more than one is satisfiable: <b>the whole representation with 200</b>. The
/// server may ignore Range (§14.2); this avoids multipart/byteranges and the range-amplification abuse it
/// invites. Several ranges of which exactly one is satisfiable: that one.</item>
/// <item>No satisfiable range: 416 with <c>Content-Range: bytes */length</c>.</item>
/// </list>
/// </summary>
internal static class ByteRangeParser
{
    /// <summary>At most this many ranges are examined; more makes the header be ignored.</summary>
    public const int MaxRanges = 16;

    /// <summary>Evaluates <paramref name="header"/> for a representation of <paramref name="length"/> bytes.</summary>
    public static ByteRangeResult Evaluate(string? header, long length)
    {
        if (header is null) return ByteRangeResult.Full;
        var text = header.AsSpan().Trim();
        if (!text.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase)) return ByteRangeResult.Full;
        text = text["bytes=".Length..];
        var satisfiable = 0;
        var found = ByteRangeResult.Full;
        var count = 0;
        foreach (var range in text.Split(','))
        {
            var spec = text[range].Trim();
            if (spec.IsEmpty) continue; // RFC 9110 §5.6.1: empty list elements are ignored.
            if (++count > MaxRanges) return ByteRangeResult.Full;
            if (!TryParseSpec(spec, out var first, out var last)) return ByteRangeResult.Full;
            long start, end;
            if (first < 0)
            {
                // Suffix range "-n": the last n bytes.
                if (last == 0 || length == 0) continue;
                start = Math.Max(0, length - last);
                end = length - 1;
            }
            else
            {
                if (first >= length) continue;
                start = first;
                end = last < 0 ? length - 1 : Math.Min(last, length - 1);
            }

            satisfiable++;
            found = ByteRangeResult.Partial(start, end - start + 1);
        }

        return satisfiable switch
        {
            0 => count == 0 ? ByteRangeResult.Full : ByteRangeResult.Unsatisfiable,
            1 => found,
            _ => ByteRangeResult.Full,
        };
    }

    /// <summary>The Content-Range value of a partial response: <c>bytes 0-499/1234</c>.</summary>
    public static string ContentRange(long start, long length, long total) => $"bytes {start}-{start + length - 1}/{total}";

    /// <summary>The Content-Range value of a 416: <c>bytes */1234</c>.</summary>
    public static string UnsatisfiedContentRange(long total) => $"bytes */{total}";

    // first = -1 for a suffix range; last = -1 for an open-ended one.
    private static bool TryParseSpec(ReadOnlySpan<char> spec, out long first, out long last)
    {
        first = last = -1;
        var dash = spec.IndexOf('-');
        if (dash < 0) return false;
        var a = spec[..dash];
        var b = spec[(dash + 1)..];
        if (a.IsEmpty) return !b.IsEmpty && TryDigits(b, out last);
        if (!TryDigits(a, out first)) return false;
        if (b.IsEmpty) return true;
        return TryDigits(b, out last) && last >= first;
    }

    private static bool TryDigits(ReadOnlySpan<char> s, out long value)
    {
        value = 0;
        if (s.IsEmpty || s.Length > 18) return false;
        foreach (var c in s)
        {
            if (c is < '0' or > '9') return false;
            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
