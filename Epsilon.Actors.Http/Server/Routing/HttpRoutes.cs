using System.Runtime.CompilerServices;
using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server.Static;

namespace Epsilon.Actors.Http.Server.Routing;

/// <summary>
/// The routing DSL: methods, path patterns (see <see cref="RoutePattern"/> rules: <c>/users/{id}</c>,
/// <c>/api/*</c>), static directories and middleware, turned into one <see cref="HttpHandler"/>.
/// <code>
/// var routes = new HttpRoutes()
///     .Use(new RequestIdMiddleware())
///     .Get("/api/*", req => HttpResponse.Text($"you asked for {req.Path}"))
///     .Post("/webhook", async req => HttpResponse.Text((await req.Entity.ToStrictAsync(65536, TimeSpan.FromSeconds(5), mat)).ToText()))
///     .Static("/assets", "./wwwroot");
/// HttpHandler handler = routes;
/// </code>
/// An <c>async</c> lambda binds to the <see cref="Task{TResult}"/> overload (overload priority), a
/// synchronous one to the <see cref="HttpResponse"/> overload, and an <see cref="HttpHandler"/> value to its own.
/// Routes are tried in registration order (first match wins). HEAD runs the GET route when no HEAD
/// route exists; OPTIONS without a route answers 204 with <c>Allow</c>; a path whose routes have other
/// methods answers 405 with <c>Allow</c>; no match answers 404 (or the <see cref="NotFound"/> handler).
/// Middleware added with <see cref="Use(IHttpMiddleware)"/> wraps everything, the first added outermost,
/// and sees those 404/405 answers too. The handler built is guarded (<see cref="HttpHandlers.Guard"/>):
/// a throwing route gives 500 (503 for a timeout) for its request only, and is logged once at
/// warning, with method, path and exception, to the log of the server (or guard) that calls the routes.
/// Configure on one thread, then convert; the resulting handler is immutable and thread-safe, and
/// later changes to this builder do not affect handlers already built.
/// </summary>
public sealed class HttpRoutes
{
    private readonly List<RouteEntry> _routes = [];
    private readonly List<IHttpMiddleware> _middleware = [];
    private HttpHandler? _notFound;

    /// <summary>Adds a GET route.</summary>
    public HttpRoutes Get(string pattern, Func<HttpRequest, HttpResponse> handler) => Map(HttpMethod.Get, pattern, HttpHandlers.From(handler));
    /// <summary>Adds a GET route.</summary>
    [OverloadResolutionPriority(1)]
    public HttpRoutes Get(string pattern, Func<HttpRequest, Task<HttpResponse>> handler) => Map(HttpMethod.Get, pattern, HttpHandlers.From(handler));
    /// <summary>Adds a GET route.</summary>
    public HttpRoutes Get(string pattern, HttpHandler handler) => Map(HttpMethod.Get, pattern, handler);

    /// <summary>Adds a POST route.</summary>
    public HttpRoutes Post(string pattern, Func<HttpRequest, HttpResponse> handler) => Map(HttpMethod.Post, pattern, HttpHandlers.From(handler));
    /// <summary>Adds a POST route.</summary>
    [OverloadResolutionPriority(1)]
    public HttpRoutes Post(string pattern, Func<HttpRequest, Task<HttpResponse>> handler) => Map(HttpMethod.Post, pattern, HttpHandlers.From(handler));
    /// <summary>Adds a POST route.</summary>
    public HttpRoutes Post(string pattern, HttpHandler handler) => Map(HttpMethod.Post, pattern, handler);

    /// <summary>Adds a PUT route.</summary>
    public HttpRoutes Put(string pattern, Func<HttpRequest, HttpResponse> handler) => Map(HttpMethod.Put, pattern, HttpHandlers.From(handler));
    /// <summary>Adds a PUT route.</summary>
    [OverloadResolutionPriority(1)]
    public HttpRoutes Put(string pattern, Func<HttpRequest, Task<HttpResponse>> handler) => Map(HttpMethod.Put, pattern, HttpHandlers.From(handler));
    /// <summary>Adds a PUT route.</summary>
    public HttpRoutes Put(string pattern, HttpHandler handler) => Map(HttpMethod.Put, pattern, handler);

    /// <summary>Adds a DELETE route.</summary>
    public HttpRoutes Delete(string pattern, Func<HttpRequest, HttpResponse> handler) => Map(HttpMethod.Delete, pattern, HttpHandlers.From(handler));
    /// <summary>Adds a DELETE route.</summary>
    [OverloadResolutionPriority(1)]
    public HttpRoutes Delete(string pattern, Func<HttpRequest, Task<HttpResponse>> handler) => Map(HttpMethod.Delete, pattern, HttpHandlers.From(handler));
    /// <summary>Adds a DELETE route.</summary>
    public HttpRoutes Delete(string pattern, HttpHandler handler) => Map(HttpMethod.Delete, pattern, handler);

    /// <summary>Adds a PATCH route.</summary>
    public HttpRoutes Patch(string pattern, Func<HttpRequest, HttpResponse> handler) => Map(HttpMethod.Patch, pattern, HttpHandlers.From(handler));
    /// <summary>Adds a PATCH route.</summary>
    [OverloadResolutionPriority(1)]
    public HttpRoutes Patch(string pattern, Func<HttpRequest, Task<HttpResponse>> handler) => Map(HttpMethod.Patch, pattern, HttpHandlers.From(handler));
    /// <summary>Adds a PATCH route.</summary>
    public HttpRoutes Patch(string pattern, HttpHandler handler) => Map(HttpMethod.Patch, pattern, handler);

    /// <summary>Adds a route for any method.</summary>
    public HttpRoutes Any(string pattern, Func<HttpRequest, HttpResponse> handler) => Add(null, pattern, HttpHandlers.From(handler));
    /// <summary>Adds a route for any method.</summary>
    [OverloadResolutionPriority(1)]
    public HttpRoutes Any(string pattern, Func<HttpRequest, Task<HttpResponse>> handler) => Add(null, pattern, HttpHandlers.From(handler));
    /// <summary>Adds a route for any method.</summary>
    public HttpRoutes Any(string pattern, HttpHandler handler) => Add(null, pattern, handler);

    /// <summary>Adds a route for <paramref name="method"/>.</summary>
    public HttpRoutes Map(HttpMethod method, string pattern, HttpHandler handler) =>
        Add(method ?? throw new ArgumentNullException(nameof(method)), pattern, handler);

    /// <summary>
    /// Adds a route written as <c>"METHOD /pattern"</c>, e.g. <c>"GET /api/*"</c>; throws
    /// <see cref="ArgumentException"/> for any other shape.
    /// </summary>
    public HttpRoutes Map(string methodAndPattern, HttpHandler handler)
    {
        ArgumentNullException.ThrowIfNull(methodAndPattern);
        var space = methodAndPattern.IndexOf(' ');
        if (space <= 0) throw new ArgumentException($"'{methodAndPattern}' is not 'METHOD /pattern'.", nameof(methodAndPattern));
        return Map(HttpMethod.FromName(methodAndPattern[..space]), methodAndPattern[(space + 1)..].Trim(), handler);
    }

    /// <summary>
    /// Serves the files under <paramref name="directory"/> at <paramref name="prefix"/> (GET and HEAD):
    /// <c>.Static("/assets", "./wwwroot")</c> maps <c>/assets/css/site.css</c> to <c>wwwroot/css/site.css</c>.
    /// See <see cref="StaticFileHandler"/> for what is served and refused.
    /// </summary>
    public HttpRoutes Static(string prefix, string directory, StaticFileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var trimmed = prefix.TrimEnd('/');
        var files = new StaticFileHandler(directory, options);
        var pattern = trimmed + "/{*" + StaticFileHandler.PathValue + "}";
        HttpHandler handler = files.HandleAsync;
        Add(HttpMethod.Get, pattern, handler);
        return Add(HttpMethod.Head, pattern, handler);
    }

    /// <summary>
    /// Adds the routes that <paramref name="configure"/> declares, each pattern prefixed with
    /// <paramref name="prefix"/>: <c>.Group("/api/v1", api =&gt; api.Get("/users/{id}", …))</c> routes
    /// <c>/api/v1/users/{id}</c>. Middleware added inside the group wraps only the group's routes.
    /// </summary>
    public HttpRoutes Group(string prefix, Action<HttpRoutes> configure)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(configure);
        var trimmed = prefix.TrimEnd('/');
        if (trimmed.Length > 0 && !trimmed.StartsWith('/')) throw new ArgumentException($"Group prefix '{prefix}' must start with '/'.", nameof(prefix));
        var group = new HttpRoutes();
        configure(group);
        foreach (var route in group._routes)
        {
            var handler = route.Handler;
            for (var i = group._middleware.Count - 1; i >= 0; i--) handler = group._middleware[i].Wrap(handler);
            var pattern = route.Pattern.Text == "/" ? (trimmed.Length == 0 ? "/" : trimmed) : trimmed + route.Pattern.Text;
            _routes.Add(new RouteEntry(route.Method, RoutePattern.Parse(pattern), HttpHandlers.Guard(handler)));
        }

        return this;
    }

    /// <summary>Adds middleware around the whole router; the first added is the outermost.</summary>
    public HttpRoutes Use(IHttpMiddleware middleware)
    {
        _middleware.Add(middleware ?? throw new ArgumentNullException(nameof(middleware)));
        return this;
    }

    /// <summary>Adds inline middleware: <c>(request, next) =&gt; …</c>, calling <c>next(request)</c> to continue.</summary>
    public HttpRoutes Use(Func<HttpRequest, HttpHandler, ValueTask<HttpResponse>> middleware)
    {
        ArgumentNullException.ThrowIfNull(middleware);
        return Use(new InlineMiddleware(middleware));
    }

    /// <summary>Answers requests no route matches (default: 404 with the text "404 Not Found").</summary>
    public HttpRoutes NotFound(HttpHandler handler)
    {
        _notFound = handler ?? throw new ArgumentNullException(nameof(handler));
        return this;
    }

    /// <summary>Builds the guarded handler: router, then middleware around it.</summary>
    public HttpHandler ToHandler()
    {
        var table = new RouteTable(_routes);
        HttpHandler handler = new Router(table, _notFound).HandleAsync;
        for (var i = _middleware.Count - 1; i >= 0; i--) handler = _middleware[i].Wrap(handler);
        return HttpHandlers.Guard(handler);
    }

    /// <summary>Builds the handler, as <see cref="ToHandler"/>.</summary>
    public static implicit operator HttpHandler(HttpRoutes routes) => (routes ?? throw new ArgumentNullException(nameof(routes))).ToHandler();

    private HttpRoutes Add(HttpMethod? method, string pattern, HttpHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _routes.Add(new RouteEntry(method, RoutePattern.Parse(pattern), HttpHandlers.Guard(handler)));
        return this;
    }

    private sealed class InlineMiddleware(Func<HttpRequest, HttpHandler, ValueTask<HttpResponse>> body) : IHttpMiddleware
    {
        public HttpHandler Wrap(HttpHandler next) => request => body(request, next);
    }
}
