using BenchmarkDotNet.Attributes;
using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server;
using Epsilon.Actors.Http.Server.Middleware;
using Epsilon.Actors.Http.Server.Routing;
using HttpMethod = Epsilon.Actors.Http.Model.HttpMethod;

namespace Epsilon.Actors.Bench.Micro;

/// <summary>
/// The application side of a request, without I/O: an <see cref="HttpRoutes"/> table of 20 routes
/// answering with a cached 13-byte text response (the TechEmpower "plaintext" shape, which should
/// allocate nothing), a route capturing <c>{id}</c> (one dictionary and one request copy), the
/// same plaintext behind request-id and compression middleware, and a well-known header lookup
/// in a 10-field list.
/// </summary>
[BenchmarkCategory("Http")]
public class HttpRoutingBench
{
    private static readonly HttpResponse s_hello = HttpResponse.Text("Hello, World!");

    private HttpHandler _routes = null!;
    private HttpHandler _withMiddleware = null!;
    private HttpRequest _plaintext = null!;
    private HttpRequest _user = null!;
    private HttpHeaders _headers = null!;

    [GlobalSetup]
    public void Setup()
    {
        var routes = new HttpRoutes();
        for (var i = 0; i < 18; i++) routes.Get($"/api/v1/resource{i}/{{id}}", _ => s_hello);
        routes.Get("/users/{id}", req => s_hello).Get("/plaintext", _ => s_hello);
        _routes = routes;
        _withMiddleware = HttpHandlers.Wrap(_routes, new RequestIdMiddleware(), new CompressionMiddleware());
        _headers = HttpHeaders.Of(
            ("Host", "localhost"), ("User-Agent", "bench"), ("Accept", "*/*"), ("Accept-Encoding", "gzip, br"),
            ("Connection", "keep-alive"), ("X-Forwarded-For", "10.0.0.1"), ("Cookie", "a=b"), ("Cache-Control", "no-cache"),
            ("X-Request-Id", "bench-1"), ("Content-Type", "text/plain"));
        _plaintext = new HttpRequest(HttpMethod.Get, "/plaintext", _headers);
        _user = new HttpRequest(HttpMethod.Get, "/users/42", _headers);
        if (!ReferenceEquals(Plaintext(), s_hello)) throw new InvalidOperationException("routing did not reach /plaintext");
    }

    [Benchmark(Description = "route GET /plaintext (20 routes) to a cached response")]
    public HttpResponse Plaintext() => _routes(_plaintext).Result;

    [Benchmark(Description = "route GET /users/{id} (captures one value)")]
    public HttpResponse Parameter() => _routes(_user).Result;

    [Benchmark(Description = "plaintext behind request-id + compression middleware")]
    public HttpResponse Middleware() => _withMiddleware(_plaintext).Result;

    [Benchmark(Description = "HttpHeaders.Get(KnownHeader.ContentType), 10 fields")]
    public string? HeaderLookup() => _headers.Get(KnownHeader.ContentType);
}
