using Epsilon.Actors.Http.Model;

namespace Epsilon.Actors.Http.Server.Static;

/// <summary>
/// Pure evaluation of conditional request headers against a representation's validators, in the
/// order RFC 9110 §13.2.2 prescribes: If-Match, If-Unmodified-Since, If-None-Match, If-Modified-Since;
/// and of If-Range (§13.1.5) for range requests. Unparseable dates make their header be ignored.
/// </summary>
internal static class ConditionalRequest
{
    /// <summary>Decides whether to proceed, answer 304, or answer 412.</summary>
    /// <param name="method">The request method; 304 is only for GET and HEAD.</param>
    /// <param name="headers">The request headers.</param>
    /// <param name="etag">The current strong or weak entity tag, quoted (<c>"abc"</c> or <c>W/"abc"</c>).</param>
    /// <param name="lastModified">The last modification time, at whole seconds.</param>
    public static ConditionalOutcome Evaluate(HttpMethod method, HttpHeaders headers, string etag, DateTimeOffset lastModified)
    {
        var ifMatch = headers.Get(KnownHeader.IfMatch);
        if (ifMatch is not null)
        {
            if (!AnyMatches(ifMatch, etag, strong: true)) return ConditionalOutcome.PreconditionFailed;
        }
        else if (HttpDate.TryParse(headers.Get(KnownHeader.IfUnmodifiedSince), out var unmodifiedSince) && lastModified > unmodifiedSince)
        {
            return ConditionalOutcome.PreconditionFailed;
        }

        var getOrHead = method == HttpMethod.Get || method == HttpMethod.Head;
        var ifNoneMatch = headers.Get(KnownHeader.IfNoneMatch);
        if (ifNoneMatch is not null)
        {
            if (AnyMatches(ifNoneMatch, etag, strong: false))
                return getOrHead ? ConditionalOutcome.NotModified : ConditionalOutcome.PreconditionFailed;
        }
        else if (getOrHead && HttpDate.TryParse(headers.Get(KnownHeader.IfModifiedSince), out var modifiedSince) && lastModified <= modifiedSince)
        {
            return ConditionalOutcome.NotModified;
        }

        return ConditionalOutcome.Proceed;
    }

    /// <summary>
    /// True when a Range header may be honoured: there is no If-Range, or it names the current strong
    /// entity tag, or it is exactly the current Last-Modified date (§13.1.5).
    /// </summary>
    public static bool RangeAllowed(HttpHeaders headers, string etag, DateTimeOffset lastModified)
    {
        var ifRange = headers.Get(KnownHeader.IfRange);
        if (ifRange is null) return true;
        var value = ifRange.Trim();
        if (value.StartsWith('"') || value.StartsWith("W/", StringComparison.Ordinal))
            return StrongEquals(value, etag);
        return HttpDate.TryParse(value, out var date) && date == lastModified;
    }

    /// <summary>True when <paramref name="list"/> (a comma-separated entity-tag list or <c>*</c>) names <paramref name="etag"/>.</summary>
    public static bool AnyMatches(string list, string etag, bool strong)
    {
        var span = list.AsSpan().Trim();
        if (span.SequenceEqual("*")) return true;
        foreach (var range in span.Split(','))
        {
            var candidate = span[range].Trim();
            if (candidate.IsEmpty) continue;
            if (strong ? StrongEquals(candidate, etag) : Opaque(candidate).SequenceEqual(Opaque(etag))) return true;
        }

        return false;
    }

    private static bool StrongEquals(ReadOnlySpan<char> a, ReadOnlySpan<char> b) =>
        !a.StartsWith("W/") && !b.StartsWith("W/") && a.SequenceEqual(b);

    private static ReadOnlySpan<char> Opaque(ReadOnlySpan<char> tag) => tag.StartsWith("W/") ? tag[2..] : tag;
}
