using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server;
using Epsilon.Actors.Http.Server.Routing;
using Xunit;
using HttpMethod = Epsilon.Actors.Http.Model.HttpMethod;

namespace Epsilon.Actors.Tests.Http.Server.Routing;

[Trait("Category", "Unit")]
public sealed class HttpRoutesTests : Akka.TestKit.Xunit2.TestKit
{
    private readonly IMaterializer _materializer;

    public HttpRoutesTests()
        : base("akka.loglevel = WARNING") => _materializer = Sys.Materializer();

    private static HttpRequest Request(HttpMethod method, string target, HttpEntity? entity = null) =>
        new(method, target, HttpHeaders.Of(("Host", "test")), entity);

    private static string Text(HttpResponse response) => ((HttpEntity.Strict)response.Entity).ToText();

    [Fact]
    public async Task The_quick_start_routes_answer_as_written()
    {
        var mat = _materializer;
        HttpHandler handler = new HttpRoutes()
            .Get("/api/*", req => HttpResponse.Text($"you asked for {req.Path}"))
            .Post("/webhook", async req =>
            {
                var body = await req.Entity.ToStrictAsync(64 * 1024, TimeSpan.FromSeconds(5), mat);
                return HttpResponse.Text($"got {body.Data.Count} bytes");
            });

        Assert.Equal("you asked for /api/v1/x", Text(await handler(Request(HttpMethod.Get, "/api/v1/x?q=1"))));
        var body = new HttpEntity.Streamed(null, null, Source.From(new[] { "ab", "cde" }.Select(ByteString.FromString)));
        Assert.Equal("got 5 bytes", Text(await handler(Request(HttpMethod.Post, "/webhook", body))));
    }

    [Fact]
    public async Task Route_values_reach_the_handler()
    {
        HttpHandler handler = new HttpRoutes().Get("/users/{id}", req => HttpResponse.Text(req.Param("id")!));
        Assert.Equal("a b", Text(await handler(Request(HttpMethod.Get, "/users/a%20b"))));
    }

    [Fact]
    public async Task Unknown_paths_are_404_and_other_methods_405_with_allow()
    {
        HttpHandler handler = new HttpRoutes()
            .Get("/x", _ => HttpResponse.Text("x"))
            .Put("/x", _ => HttpResponse.Text("put"));
        var missing = await handler(Request(HttpMethod.Get, "/nope"));
        Assert.Equal(404, missing.StatusCode.Code);
        var refused = await handler(Request(HttpMethod.Delete, "/x"));
        Assert.Equal(405, refused.StatusCode.Code);
        Assert.Equal("GET, HEAD, PUT, OPTIONS", refused.Headers.Get(KnownHeader.Allow));
    }

    [Fact]
    public async Task Head_uses_the_get_route_and_options_lists_methods()
    {
        var calls = 0;
        HttpHandler handler = new HttpRoutes().Get("/g", req =>
        {
            calls++;
            return HttpResponse.Text(req.Method.Name);
        });
        var head = await handler(Request(HttpMethod.Head, "/g"));
        Assert.Equal(200, head.StatusCode.Code);
        Assert.Equal(1, calls);
        var options = await handler(Request(HttpMethod.Options, "/g"));
        Assert.Equal(204, options.StatusCode.Code);
        Assert.Equal("GET, HEAD, OPTIONS", options.Headers.Get(KnownHeader.Allow));
        var star = await handler(Request(HttpMethod.Options, "*"));
        Assert.Equal("GET, HEAD, OPTIONS", star.Headers.Get(KnownHeader.Allow));
    }

    [Fact]
    public async Task A_throwing_route_answers_500_for_its_request_only()
    {
        HttpHandler handler = new HttpRoutes()
            .Get("/boom", HttpHandlers.From((Func<HttpRequest, HttpResponse>)(_ => throw new InvalidOperationException("boom"))))
            .Get("/async-boom", async _ =>
            {
                await Task.Yield();
                throw new InvalidOperationException("later");
            })
            .Get("/ok", _ => HttpResponse.Text("fine"));
        Assert.Equal(500, (await handler(Request(HttpMethod.Get, "/boom"))).StatusCode.Code);
        Assert.Equal(500, (await handler(Request(HttpMethod.Get, "/async-boom"))).StatusCode.Code);
        Assert.Equal("fine", Text(await handler(Request(HttpMethod.Get, "/ok"))));
    }

    [Fact]
    public async Task A_timeout_answers_503_and_a_too_large_body_413()
    {
        HttpHandler handler = new HttpRoutes()
            .Get("/slow", (Func<HttpRequest, Task<HttpResponse>>)(_ => Task.FromException<HttpResponse>(new TimeoutException())))
            .Post("/big", async req => HttpResponse.Text((await req.Entity.ToStrictAsync(2, TimeSpan.FromSeconds(5), _materializer)).ToText()));
        Assert.Equal(503, (await handler(Request(HttpMethod.Get, "/slow"))).StatusCode.Code);
        Assert.Equal(413, (await handler(Request(HttpMethod.Post, "/big", HttpEntity.Text("abc")))).StatusCode.Code);
    }

    [Fact]
    public async Task Middleware_wraps_the_router_with_the_first_added_outermost()
    {
        var order = new List<string>();
        HttpHandler handler = new HttpRoutes()
            .Use(async (req, next) =>
            {
                order.Add("outer-in");
                var response = await next(req);
                order.Add("outer-out");
                return response.AddHeader("X-Outer", "1");
            })
            .Use((req, next) =>
            {
                order.Add("inner");
                return next(req);
            })
            .Get("/m", _ =>
            {
                order.Add("route");
                return HttpResponse.Text("m");
            });
        var response = await handler(Request(HttpMethod.Get, "/m"));
        Assert.Equal(["outer-in", "inner", "route", "outer-out"], order);
        Assert.Equal("1", response.Headers["X-Outer"]);
        var missing = await handler(Request(HttpMethod.Get, "/missing"));
        Assert.Equal("1", missing.Headers["X-Outer"]);
    }

    [Fact]
    public async Task Map_accepts_method_and_pattern_in_one_string_and_not_found_can_be_replaced()
    {
        HttpHandler handler = new HttpRoutes()
            .Map("PATCH /p/{id}", req => new ValueTask<HttpResponse>(HttpResponse.Text("patched " + req.Param("id"))))
            .NotFound(req => new ValueTask<HttpResponse>(HttpResponse.Text(404, "no " + req.Path)));
        Assert.Equal("patched 3", Text(await handler(Request(HttpMethod.Patch, "/p/3"))));
        var missing = await handler(Request(HttpMethod.Get, "/q"));
        Assert.Equal(404, missing.StatusCode.Code);
        Assert.Equal("no /q", Text(missing));
        Assert.Throws<ArgumentException>(() => new HttpRoutes().Map("/no-method", _ => default));
    }

    [Fact]
    public async Task A_handler_built_earlier_does_not_see_later_routes()
    {
        var routes = new HttpRoutes().Get("/a", _ => HttpResponse.Text("a"));
        HttpHandler first = routes;
        routes.Get("/b", _ => HttpResponse.Text("b"));
        Assert.Equal(404, (await first(Request(HttpMethod.Get, "/b"))).StatusCode.Code);
        Assert.Equal(200, (await routes.ToHandler()(Request(HttpMethod.Get, "/b"))).StatusCode.Code);
    }

    [Fact]
    public async Task Routing_a_request_to_a_cached_response_allocates_nothing()
    {
        var hello = HttpResponse.Text("Hello, World!");
        HttpHandler handler = new HttpRoutes()
            .Get("/json", _ => HttpResponse.Json("{}"))
            .Get("/plaintext", _ => hello);
        var request = Request(HttpMethod.Get, "/plaintext");
        Assert.Same(hello, await handler(request));
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            var pending = handler(request);
            Assert.True(pending.IsCompletedSuccessfully);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public async Task A_group_prefixes_its_routes_and_scopes_its_middleware()
    {
        HttpHandler handler = new HttpRoutes()
            .Group("/api/v1", api => api
                .Use(async (req, next) => (await next(req)).AddHeader("X-Api", "v1"))
                .Get("/users/{id}", req => HttpResponse.Text("user " + req.Param("id")))
                .Get("/", _ => HttpResponse.Text("api root")))
            .Get("/other", _ => HttpResponse.Text("other"));
        var user = await handler(Request(HttpMethod.Get, "/api/v1/users/5"));
        Assert.Equal("user 5", Text(user));
        Assert.Equal("v1", user.Headers["X-Api"]);
        Assert.Equal("api root", Text(await handler(Request(HttpMethod.Get, "/api/v1"))));
        Assert.Null((await handler(Request(HttpMethod.Get, "/other"))).Headers["X-Api"]);
        Assert.Equal(404, (await handler(Request(HttpMethod.Get, "/users/5"))).StatusCode.Code);
    }
}
