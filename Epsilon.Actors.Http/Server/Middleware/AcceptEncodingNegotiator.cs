namespace Epsilon.Actors.Http.Server.Middleware;

/// <summary>
/// Pure <c>Accept-Encoding</c> negotiation (RFC 9110 §12.5.3). For each coding the server supports
/// its weight is its own entry's q, else the q of <c>*</c>, else 0. The highest weight above 0 wins;
/// ties go to the server's order of preference. Identity wins instead when the client lists it
/// explicitly with a higher weight. No header, an empty one, or nothing acceptable gives identity
/// (the server never answers 406 for this). Malformed q-values make their element be ignored.
/// Coding names compare case-insensitively; <c>x-gzip</c> counts as gzip (§8.4.1.3).
/// </summary>
internal static class AcceptEncodingNegotiator
{
    /// <summary>The coding to use for <paramref name="acceptEncoding"/>, choosing among <paramref name="preference"/> (best first).</summary>
    public static ContentCoding Select(string? acceptEncoding, ReadOnlySpan<ContentCoding> preference)
    {
        if (string.IsNullOrWhiteSpace(acceptEncoding)) return ContentCoding.Identity;
        double gzip = -1, brotli = -1, star = -1, identity = -1;
        var text = acceptEncoding.AsSpan();
        foreach (var range in text.Split(','))
        {
            var element = text[range].Trim();
            if (element.IsEmpty) continue;
            var semi = element.IndexOf(';');
            var name = (semi < 0 ? element : element[..semi]).Trim();
            var q = 1.0;
            if (semi >= 0 && !TryParseWeight(element[(semi + 1)..], out q)) continue;
            if (name.Equals("gzip", StringComparison.OrdinalIgnoreCase) || name.Equals("x-gzip", StringComparison.OrdinalIgnoreCase)) gzip = q;
            else if (name.Equals("br", StringComparison.OrdinalIgnoreCase)) brotli = q;
            else if (name.SequenceEqual("*")) star = q;
            else if (name.Equals("identity", StringComparison.OrdinalIgnoreCase)) identity = q;
        }

        var best = ContentCoding.Identity;
        var bestWeight = 0.0;
        foreach (var coding in preference)
        {
            var weight = coding switch
            {
                ContentCoding.Gzip => gzip >= 0 ? gzip : Math.Max(star, 0),
                ContentCoding.Brotli => brotli >= 0 ? brotli : Math.Max(star, 0),
                _ => 0,
            };
            if (weight > bestWeight)
            {
                best = coding;
                bestWeight = weight;
            }
        }

        return identity > bestWeight ? ContentCoding.Identity : best;
    }

    /// <summary>The token for a coding: <c>gzip</c>, <c>br</c>, <c>identity</c>.</summary>
    public static string Token(ContentCoding coding) => coding switch
    {
        ContentCoding.Gzip => "gzip",
        ContentCoding.Brotli => "br",
        _ => "identity",
    };

    // weight = OWS ";" OWS "q=" qvalue; qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
    private static bool TryParseWeight(ReadOnlySpan<char> parameters, out double q)
    {
        q = 1.0;
        var p = parameters.Trim();
        if (p.Length < 3 || (p[0] != 'q' && p[0] != 'Q') || p[1] != '=') return false;
        var v = p[2..].Trim();
        if (v.IsEmpty || v.Length > 5 || (v[0] != '0' && v[0] != '1')) return false;
        if (v.Length > 1 && v[1] != '.') return false;
        var value = (double)(v[0] - '0');
        var scale = 0.1;
        for (var i = 2; i < v.Length; i++)
        {
            if (!char.IsAsciiDigit(v[i])) return false;
            value += (v[i] - '0') * scale;
            scale /= 10;
        }

        if (value > 1.0) return false;
        q = value;
        return true;
    }
}
