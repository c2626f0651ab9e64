using Epsilon.Actors.Http.Model;

namespace Epsilon.Actors.Http.Server.Routing;

/// <summary>The handler over a <see cref="RouteTable"/>: runs the selected route or answers 404/405/OPTIONS.</summary>
internal sealed class Router(RouteTable table, HttpHandler? notFound)
{
    private static readonly HttpResponse s_notFound = HttpResponse.StatusText(StatusCode.NotFound);

    public ValueTask<HttpResponse> HandleAsync(HttpRequest request)
    {
        if (request.Method == HttpMethod.Options && request.Target == "*")
            return new(new HttpResponse(StatusCode.NoContent, HttpHeaders.Of(new HttpHeader(KnownHeader.Allow, table.AllMethods()))));
        var match = table.Match(request.Method, request.Path);
        switch (match.Kind)
        {
            case RouteMatchKind.Found:
            case RouteMatchKind.HeadFromGet:
                var routed = match.Values is null ? request : request.WithRouteValues(match.Values);
                return match.Route!.Handler(routed);
            case RouteMatchKind.Options:
                return new(new HttpResponse(StatusCode.NoContent, HttpHeaders.Of(new HttpHeader(KnownHeader.Allow, match.Allow!))));
            case RouteMatchKind.MethodNotAllowed:
                var refused = HttpResponse.StatusText(StatusCode.MethodNotAllowed);
                return new(refused.WithHeaders(HttpHeaders.Of(new HttpHeader(KnownHeader.Allow, match.Allow!))));
            default:
                return notFound is null ? new(s_notFound) : notFound(request);
        }
    }
}
