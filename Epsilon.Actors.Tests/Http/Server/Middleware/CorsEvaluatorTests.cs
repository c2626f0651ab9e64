using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server.Middleware;
using Xunit;
using HttpMethod = Epsilon.Actors.Http.Model.HttpMethod;

namespace Epsilon.Actors.Tests.Http.Server.Middleware;

[Trait("Category", "Unit")]
public sealed class CorsEvaluatorTests
{
    private static readonly CorsPolicy s_app = new()
    {
        AllowedOrigins = ["https://app.example"],
        AllowedMethods = ["GET", "POST", "PUT"],
        ExposedHeaders = ["X-Request-Id"],
    };

    private static Dictionary<string, string> AsMap(List<HttpHeader> headers) =>
        headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase);

    [Fact]
    public void Recognises_a_preflight_only_with_origin_and_request_method()
    {
        Assert.True(CorsEvaluator.IsPreflight(new HttpRequest(HttpMethod.Options, "/", HttpHeaders.Of(("Origin", "o"), ("Access-Control-Request-Method", "PUT")))));
        Assert.False(CorsEvaluator.IsPreflight(new HttpRequest(HttpMethod.Options, "/", HttpHeaders.Of(("Origin", "o")))));
        Assert.False(CorsEvaluator.IsPreflight(new HttpRequest(HttpMethod.Options, "/", HttpHeaders.Of(("Access-Control-Request-Method", "PUT")))));
        Assert.False(CorsEvaluator.IsPreflight(new HttpRequest(HttpMethod.Get, "/", HttpHeaders.Of(("Origin", "o"), ("Access-Control-Request-Method", "PUT")))));
    }

    [Fact]
    public void An_allowed_preflight_echoes_the_origin_and_lists_methods_headers_and_max_age()
    {
        var headers = AsMap(CorsEvaluator.Preflight(s_app, "https://APP.example", "PUT", "content-type, x-request-id")!);
        Assert.Equal("https://APP.example", headers["Access-Control-Allow-Origin"]);
        Assert.Equal("GET, POST, PUT", headers["Access-Control-Allow-Methods"]);
        Assert.Equal("content-type, x-request-id", headers["Access-Control-Allow-Headers"]);
        Assert.Equal("600", headers["Access-Control-Max-Age"]);
        Assert.Equal("Origin", headers["Vary"]);
        Assert.False(headers.ContainsKey("Access-Control-Allow-Credentials"));
    }

    [Theory]
    [InlineData("https://evil.example", "GET", null)]
    [InlineData("https://app.example", "DELETE", null)]
    [InlineData("https://app.example", "get", null)]
    [InlineData("https://app.example", "POST", "X-Secret")]
    [InlineData("null", "GET", null)]
    public void A_preflight_outside_the_policy_is_refused(string origin, string method, string? headers) =>
        Assert.Null(CorsEvaluator.Preflight(s_app, origin, method, headers));

    [Fact]
    public void Any_origin_without_credentials_answers_star_and_with_credentials_echoes()
    {
        var star = AsMap(CorsEvaluator.Actual(CorsPolicy.AllowAnyOrigin, "https://x.example")!);
        Assert.Equal("*", star["Access-Control-Allow-Origin"]);
        Assert.False(star.ContainsKey("Vary"));
        var credentials = AsMap(CorsEvaluator.Actual(CorsPolicy.AllowAnyOrigin with { AllowCredentials = true }, "https://x.example")!);
        Assert.Equal("https://x.example", credentials["Access-Control-Allow-Origin"]);
        Assert.Equal("true", credentials["Access-Control-Allow-Credentials"]);
        Assert.Equal("Origin", credentials["Vary"]);
    }

    [Fact]
    public void An_actual_request_exposes_the_configured_headers_and_refuses_other_origins()
    {
        Assert.Equal("X-Request-Id", AsMap(CorsEvaluator.Actual(s_app, "https://app.example")!)["Access-Control-Expose-Headers"]);
        Assert.Null(CorsEvaluator.Actual(s_app, "https://other.example"));
    }

    [Fact]
    public void A_star_header_policy_allows_any_requested_header()
    {
        var policy = s_app with { AllowedHeaders = ["*"] };
        Assert.NotNull(CorsEvaluator.Preflight(policy, "https://app.example", "GET", "X-Anything, X-Else"));
    }

    [Fact]
    public void The_default_policy_allows_no_origin() =>
        Assert.Null(CorsEvaluator.Actual(new CorsPolicy(), "https://app.example"));
}
