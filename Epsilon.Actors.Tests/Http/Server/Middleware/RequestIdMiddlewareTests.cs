using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server;
using Epsilon.Actors.Http.Server.Middleware;
using Xunit;
using HttpMethod = Epsilon.Actors.Http.Model.HttpMethod;

namespace Epsilon.Actors.Tests.Http.Server.Middleware;

[Trait("Category", "Unit")]
public sealed class RequestIdMiddlewareTests
{
    private static readonly HttpHandler s_echo = new RequestIdMiddleware().Wrap(
        req => new ValueTask<HttpResponse>(HttpResponse.Text(req.Headers.Get(KnownHeader.XRequestId) ?? "none")));

    private static async Task<(string Seen, string? Returned)> Send(string? id)
    {
        var headers = id is null ? HttpHeaders.Empty : HttpHeaders.Of(("X-Request-Id", id));
        var response = await s_echo(new HttpRequest(HttpMethod.Get, "/", headers));
        return (((HttpEntity.Strict)response.Entity).ToText(), response.Headers.Get(KnownHeader.XRequestId));
    }

    [Theory]
    [InlineData("abc-123")]
    [InlineData("trace:1.2_3")]
    public async Task A_well_formed_incoming_id_is_honoured(string id)
    {
        var (seen, returned) = await Send(id);
        Assert.Equal(id, seen);
        Assert.Equal(id, returned);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("quote\"")]
    [InlineData("\u00e9")]
    public async Task A_missing_or_unsafe_id_is_replaced_by_a_generated_one(string? id)
    {
        var (seen, returned) = await Send(id);
        Assert.Matches("^[0-9a-f]{32}$", seen);
        Assert.Equal(seen, returned);
    }

    [Fact]
    public async Task An_overlong_id_is_replaced_and_generated_ids_differ()
    {
        var (first, _) = await Send(new string('a', 129));
        var (second, _) = await Send(null);
        Assert.Equal(32, first.Length);
        Assert.NotEqual(first, second);
        Assert.True(RequestIdMiddleware.IsAcceptable(new string('a', 128)));
    }
}
