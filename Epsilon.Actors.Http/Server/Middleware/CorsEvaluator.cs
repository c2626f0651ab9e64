using Epsilon.Actors.Http.Model;

namespace Epsilon.Actors.Http.Server.Middleware;

/// <summary>
/// Pure CORS decisions for one request and a <see cref="CorsPolicy"/>: whether it is a preflight,
/// and which response headers to add (none when the origin, method or a header is not allowed, which
/// makes the browser refuse the response).
/// </summary>
internal static class CorsEvaluator
{
    /// <summary>OPTIONS with Origin and Access-Control-Request-Method.</summary>
    public static bool IsPreflight(HttpRequest request) =>
        request.Method == HttpMethod.Options
        && request.Headers.Contains(KnownHeader.Origin)
        && request.Headers.Contains(KnownHeader.AccessControlRequestMethod);

    /// <summary>
    /// The headers of a preflight answer, or null when the preflight is refused: origin not allowed,
    /// method not in <see cref="CorsPolicy.AllowedMethods"/>, or a requested header not allowed.
    /// </summary>
    public static List<HttpHeader>? Preflight(CorsPolicy policy, string origin, string requestMethod, string? requestHeaders)
    {
        if (!OriginAllowed(policy, origin)) return null;
        if (!policy.AllowedMethods.Contains(requestMethod.Trim(), StringComparer.Ordinal)) return null;
        var asked = (requestHeaders ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (!policy.AnyHeader)
        {
            foreach (var header in asked)
            {
                if (!policy.AllowedHeaders.Contains(header, StringComparer.OrdinalIgnoreCase)) return null;
            }
        }

        var result = OriginHeaders(policy, origin);
        result.Add(new HttpHeader("Access-Control-Allow-Methods", string.Join(", ", policy.AllowedMethods)));
        if (asked.Length > 0) result.Add(new HttpHeader("Access-Control-Allow-Headers", string.Join(", ", asked)));
        if (policy.MaxAge is { } maxAge) result.Add(new HttpHeader("Access-Control-Max-Age", ((long)maxAge.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return result;
    }

    /// <summary>The headers for an actual (non-preflight) cross-origin response, or null when the origin is not allowed.</summary>
    public static List<HttpHeader>? Actual(CorsPolicy policy, string origin)
    {
        if (!OriginAllowed(policy, origin)) return null;
        var result = OriginHeaders(policy, origin);
        if (policy.ExposedHeaders.Count > 0) result.Add(new HttpHeader("Access-Control-Expose-Headers", string.Join(", ", policy.ExposedHeaders)));
        return result;
    }

    /// <summary>True when <paramref name="origin"/> is in the policy (or the policy allows any).</summary>
    public static bool OriginAllowed(CorsPolicy policy, string origin) =>
        policy.AnyOrigin || policy.AllowedOrigins.Contains(origin.Trim(), StringComparer.OrdinalIgnoreCase);

    private static List<HttpHeader> OriginHeaders(CorsPolicy policy, string origin)
    {
        var result = new List<HttpHeader>(5);
        if (policy.AnyOrigin && !policy.AllowCredentials)
        {
            result.Add(new HttpHeader("Access-Control-Allow-Origin", "*"));
        }
        else
        {
            // The answer depends on Origin, so shared caches must key on it.
            result.Add(new HttpHeader("Access-Control-Allow-Origin", origin.Trim()));
            result.Add(new HttpHeader(KnownHeader.Vary, "Origin"));
        }

        if (policy.AllowCredentials) result.Add(new HttpHeader("Access-Control-Allow-Credentials", "true"));
        return result;
    }
}
