using Epsilon.Actors.Http.Model;

namespace Epsilon.Actors.Http.Server.Middleware;

/// <summary>
/// Applies a <see cref="CorsPolicy"/>. A preflight (OPTIONS with Origin and
/// Access-Control-Request-Method) is answered here, without reaching the routes: 204 with the
/// Access-Control-Allow-* headers, or 403 without them when the policy refuses it. Other requests
/// with an Origin go to the handler; an allowed origin's response gets Access-Control-Allow-Origin
/// (and Expose-Headers, Allow-Credentials, <c>Vary: Origin</c> when echoing). Requests without Origin
/// pass untouched. Thread-safe.
/// </summary>
public sealed class CorsMiddleware : IHttpMiddleware
{
    private static readonly HttpResponse s_refused = HttpResponse.StatusText(StatusCode.Forbidden);
    private readonly CorsPolicy _policy;

    /// <summary>CORS with <paramref name="policy"/>.</summary>
    public CorsMiddleware(CorsPolicy policy) => _policy = policy ?? throw new ArgumentNullException(nameof(policy));

    /// <inheritdoc />
    public HttpHandler Wrap(HttpHandler next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return request =>
        {
            var origin = request.Headers.Get(KnownHeader.Origin);
            if (origin is null) return next(request);
            if (CorsEvaluator.IsPreflight(request))
            {
                var allowed = CorsEvaluator.Preflight(
                    _policy, origin, request.Headers.Get(KnownHeader.AccessControlRequestMethod)!, request.Headers.Get(KnownHeader.AccessControlRequestHeaders));
                return new ValueTask<HttpResponse>(allowed is null ? s_refused : new HttpResponse(StatusCode.NoContent, Merge(HttpHeaders.Empty, allowed)));
            }

            var extra = CorsEvaluator.Actual(_policy, origin);
            if (extra is null) return next(request);
            var pending = next(request);
            return pending.IsCompletedSuccessfully
                ? new ValueTask<HttpResponse>(Decorate(pending.Result, extra))
                : DecorateAsync(pending, extra);
        };
    }

    private static async ValueTask<HttpResponse> DecorateAsync(ValueTask<HttpResponse> pending, List<HttpHeader> extra) =>
        Decorate(await pending.ConfigureAwait(false), extra);

    private static HttpResponse Decorate(HttpResponse response, List<HttpHeader> extra) =>
        response.WithHeaders(Merge(response.Headers, extra));

    private static HttpHeaders Merge(HttpHeaders headers, List<HttpHeader> extra)
    {
        foreach (var header in extra)
        {
            if (header.Id == KnownHeader.Vary && headers.Get(KnownHeader.Vary) is { } vary)
            {
                if (!vary.Contains("Origin", StringComparison.OrdinalIgnoreCase)) headers = headers.Set(new HttpHeader(KnownHeader.Vary, vary + ", Origin"));
                continue;
            }

            headers = headers.Set(header);
        }

        return headers;
    }
}
