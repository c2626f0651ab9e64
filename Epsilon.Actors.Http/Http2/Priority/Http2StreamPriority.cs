namespace Epsilon.Actors.Http.Http2.Priority;

/// <summary>
/// A stream's priority in the Extensible Priorities scheme (RFC 9218 §4): urgency 0 (first) to 7
/// (last), default 3, and whether the response may be interleaved with others of the same urgency.
/// Read from the <c>priority</c> request header and from PRIORITY_UPDATE frames, whose value is a
/// Structured Fields Dictionary such as <c>u=1, i</c>.
/// </summary>
/// <param name="Urgency">0 to 7.</param>
/// <param name="Incremental">Whether the response is useful in pieces (served round-robin).</param>
internal readonly record struct Http2StreamPriority(int Urgency, bool Incremental)
{
    /// <summary>The priority of a stream that says nothing: urgency 3, not incremental (§4.1, §4.2).</summary>
    public static readonly Http2StreamPriority Default = new(3, false);

    /// <summary>
    /// Parses a Priority Field Value over <paramref name="baseline"/>: members it does not know, and
    /// values out of range or of the wrong type, are ignored (§4: a receiver ignores them), so this
    /// never fails. A later member overrides an earlier one, as for any dictionary (RFC 8941 §4.2.2).
    /// </summary>
    public static Http2StreamPriority Parse(ReadOnlySpan<byte> value, Http2StreamPriority baseline)
    {
        var urgency = baseline.Urgency;
        var incremental = baseline.Incremental;
        while (true)
        {
            value = TrimStart(value);
            if (value.IsEmpty) break;
            var comma = value.IndexOf((byte)',');
            var member = comma < 0 ? value : value[..comma];
            value = comma < 0 ? [] : value[(comma + 1)..];
            member = TrimEnd(member);

            // Parameters of a member (";a=b") do not matter here.
            var semicolon = member.IndexOf((byte)';');
            if (semicolon >= 0) member = member[..semicolon];
            var equals = member.IndexOf((byte)'=');
            var key = equals < 0 ? member : member[..equals];
            var item = equals < 0 ? [] : member[(equals + 1)..];
            if (key.SequenceEqual("u"u8))
            {
                if (item.Length == 1 && item[0] is >= (byte)'0' and <= (byte)'7') urgency = item[0] - '0';
            }
            else if (key.SequenceEqual("i"u8))
            {
                // A bare key is boolean true; "?0" and "?1" are the explicit forms.
                if (equals < 0 || item.SequenceEqual("?1"u8)) incremental = true;
                else if (item.SequenceEqual("?0"u8)) incremental = false;
            }
        }

        return new Http2StreamPriority(urgency, incremental);
    }

    private static ReadOnlySpan<byte> TrimStart(ReadOnlySpan<byte> span)
    {
        var i = 0;
        while (i < span.Length && span[i] is (byte)' ' or (byte)'\t') i++;
        return span[i..];
    }

    private static ReadOnlySpan<byte> TrimEnd(ReadOnlySpan<byte> span)
    {
        var end = span.Length;
        while (end > 0 && span[end - 1] is (byte)' ' or (byte)'\t') end--;
        return span[..end];
    }
}
