using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server.Middleware;
using Epsilon.Actors.Http.Server.Routing;
using Xunit;
using HttpMethod = Epsilon.Actors.Http.Model.HttpMethod;

namespace Epsilon.Actors.Tests.Http.Server.Middleware;

[Trait("Category", "Unit")]
public sealed class CorsMiddlewareTests
{
    private static readonly Epsilon.Actors.Http.Server.HttpHandler s_handler = new HttpRoutes()
        .Use(new CorsMiddleware(new CorsPolicy { AllowedOrigins = ["https://app.example"], AllowedMethods = ["GET", "PUT"] }))
        .Get("/data", _ => HttpResponse.Text("data").SetHeader("Vary", "Accept"))
        .Put("/data", _ => HttpResponse.Text("stored"));

    private static Task<HttpResponse> Send(HttpMethod method, params (string, string)[] headers) =>
        s_handler(new HttpRequest(method, "/data", HttpHeaders.Of(headers))).AsTask();

    [Fact]
    public async Task An_allowed_preflight_is_answered_204_without_reaching_the_routes()
    {
        var response = await Send(HttpMethod.Options, ("Origin", "https://app.example"), ("Access-Control-Request-Method", "PUT"));
        Assert.Equal(204, response.StatusCode.Code);
        Assert.Equal("https://app.example", response.Headers["Access-Control-Allow-Origin"]);
        Assert.Equal("GET, PUT", response.Headers["Access-Control-Allow-Methods"]);
        Assert.Null(response.Headers.Get(KnownHeader.Allow));
    }

    [Fact]
    public async Task A_refused_preflight_is_403_without_cors_headers()
    {
        var response = await Send(HttpMethod.Options, ("Origin", "https://evil.example"), ("Access-Control-Request-Method", "PUT"));
        Assert.Equal(403, response.StatusCode.Code);
        Assert.Null(response.Headers["Access-Control-Allow-Origin"]);
    }

    [Fact]
    public async Task A_simple_request_from_an_allowed_origin_gets_allow_origin_and_vary()
    {
        var response = await Send(HttpMethod.Get, ("Origin", "https://app.example"));
        Assert.Equal(200, response.StatusCode.Code);
        Assert.Equal("https://app.example", response.Headers["Access-Control-Allow-Origin"]);
        Assert.Equal("Accept, Origin", response.Headers.Get(KnownHeader.Vary));
    }

    [Fact]
    public async Task Other_origins_and_same_origin_requests_pass_without_cors_headers()
    {
        Assert.Null((await Send(HttpMethod.Get, ("Origin", "https://evil.example"))).Headers["Access-Control-Allow-Origin"]);
        Assert.Null((await Send(HttpMethod.Get)).Headers["Access-Control-Allow-Origin"]);
        var plainOptions = await Send(HttpMethod.Options);
        Assert.Equal(204, plainOptions.StatusCode.Code);
        Assert.Equal("GET, HEAD, PUT, OPTIONS", plainOptions.Headers.Get(KnownHeader.Allow));
    }
}
