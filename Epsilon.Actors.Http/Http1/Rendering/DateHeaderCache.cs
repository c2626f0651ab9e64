using System.Buffers.Text;

namespace Epsilon.Actors.Http.Http1.Rendering;

/// <summary>
/// The <c>Date</c> header line in IMF-fixdate (RFC 9110 §5.6.7), e.g.
/// <c>Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n</c>, formatted again only when the second
/// changes. It never reads a clock: the owner passes the current time. Not thread-safe: one per
/// stage or connection (the line's buffer is reused, so nothing is allocated after construction).
/// </summary>
internal sealed class DateHeaderCache
{
    private const int LineLength = 37;
    private readonly byte[] _line = new byte[LineLength];
    private long _second = long.MinValue;

    /// <summary>
    /// <c>Date: &lt;IMF-fixdate&gt;\r\n</c> for <paramref name="utcNow"/> (any offset; converted to
    /// UTC). Valid until the next call.
    /// </summary>
    public ReadOnlySpan<byte> GetHeaderLine(DateTimeOffset utcNow)
    {
        var second = utcNow.ToUnixTimeSeconds();
        if (second != _second)
        {
            "Date: "u8.CopyTo(_line);
            // The "R" format is RFC 1123's, which IMF-fixdate is (always GMT, two-digit day).
            Utf8Formatter.TryFormat(utcNow.UtcDateTime, _line.AsSpan(6), out var written, new System.Buffers.StandardFormat('R'));
            _line[6 + written] = (byte)'\r';
            _line[7 + written] = (byte)'\n';
            _second = second;
        }

        return _line;
    }

    /// <summary>The IMF-fixdate value alone (29 bytes) for <paramref name="utcNow"/>. Valid until the next call.</summary>
    public ReadOnlySpan<byte> GetValue(DateTimeOffset utcNow) => GetHeaderLine(utcNow)[6..^2];
}
