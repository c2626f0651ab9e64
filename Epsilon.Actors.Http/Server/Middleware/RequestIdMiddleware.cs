using Epsilon.Actors.Http.Model;

namespace Epsilon.Actors.Http.Server.Middleware;

/// <summary>
/// Gives every request an id in <c>X-Request-Id</c>: the client's own when it is 1–128 characters of
/// <c>[A-Za-z0-9._:-]</c> (anything else is replaced, so logs cannot be forged), else a new random one
/// (32 hex digits). Handlers see it in the request headers; the response carries it too.
/// Stateless and thread-safe.
/// </summary>
public sealed class RequestIdMiddleware : IHttpMiddleware
{
    /// <summary>The header name.</summary>
    public const string HeaderName = "X-Request-Id";

    /// <inheritdoc />
    public HttpHandler Wrap(HttpHandler next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return request =>
        {
            var incoming = request.Headers.Get(KnownHeader.XRequestId);
            var id = IsAcceptable(incoming) ? incoming! : Guid.NewGuid().ToString("N");
            var header = new HttpHeader(KnownHeader.XRequestId, id);
            var withId = incoming == id ? request : request.WithHeaders(request.Headers.Set(header));
            var pending = next(withId);
            return pending.IsCompletedSuccessfully
                ? new ValueTask<HttpResponse>(Stamp(pending.Result, header))
                : StampAsync(pending, header);
        };
    }

    /// <summary>True when a client-supplied id is kept as is.</summary>
    public static bool IsAcceptable(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 128) return false;
        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-')) return false;
        }

        return true;
    }

    private static HttpResponse Stamp(HttpResponse response, HttpHeader header) =>
        response.WithHeaders(response.Headers.Set(header));

    private static async ValueTask<HttpResponse> StampAsync(ValueTask<HttpResponse> pending, HttpHeader header) =>
        Stamp(await pending.ConfigureAwait(false), header);
}
