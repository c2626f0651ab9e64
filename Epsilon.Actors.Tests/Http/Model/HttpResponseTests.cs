using Akka.IO;
using Akka.Streams.Dsl;
using Epsilon.Actors.Http.Model;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Model;

[Trait("Category", "Unit")]
public sealed class HttpResponseTests
{
    [Fact]
    public void Text_is_utf8_plain_text_with_its_length()
    {
        var response = HttpResponse.Text("Hello, World!");
        var entity = Assert.IsType<HttpEntity.Strict>(response.Entity);
        Assert.Equal(200, response.StatusCode.Code);
        Assert.Equal(13, entity.ContentLength);
        Assert.Same(ContentType.TextPlainUtf8, entity.ContentType);
        Assert.Equal("Hello, World!", entity.ToText());
    }

    [Fact]
    public void Json_serializes_with_web_defaults()
    {
        var response = HttpResponse.Json(new { Name = "x", Count = 2 });
        var entity = Assert.IsType<HttpEntity.Strict>(response.Entity);
        Assert.Same(ContentType.ApplicationJson, entity.ContentType);
        Assert.Equal("{\"name\":\"x\",\"count\":2}", entity.ToText());
    }

    [Fact]
    public void Status_responses_are_cached_and_empty()
    {
        Assert.Same(HttpResponse.Status(204), HttpResponse.Status(StatusCode.NoContent));
        Assert.True(HttpResponse.Status(204).Entity.IsKnownEmpty);
        Assert.Same(HttpResponse.StatusText(404), HttpResponse.StatusText(404));
        Assert.Equal("404 Not Found", ((HttpEntity.Strict)HttpResponse.StatusText(404).Entity).ToText());
    }

    [Fact]
    public void Returning_a_cached_response_allocates_nothing()
    {
        var cached = HttpResponse.Text("Hello, World!");
        HttpResponse Handler() => cached;
        Handler();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++) _ = new ValueTask<HttpResponse>(Handler());
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void Header_helpers_copy()
    {
        var original = HttpResponse.Bytes(ByteString.FromBytes([1, 2, 3]));
        var changed = original.AddHeader("X-A", "1").SetHeader("x-a", "2").WithStatus(201);
        Assert.Empty(original.Headers);
        Assert.Equal("2", changed.Headers["X-A"]);
        Assert.Equal(201, changed.StatusCode.Code);
        Assert.Same(ContentType.ApplicationOctetStream, changed.Entity.ContentType);
    }

    [Fact]
    public void Redirect_sets_location()
    {
        var response = HttpResponse.Redirect("/elsewhere");
        Assert.Equal(302, response.StatusCode.Code);
        Assert.Equal("/elsewhere", response.Headers.Get(KnownHeader.Location));
    }

    [Fact]
    public void The_default_status_is_refused() =>
        Assert.Throws<ArgumentException>(() => new HttpResponse(default));

    [Fact]
    public void Upgrade_is_a_101_carrying_its_protocol_and_flow_through_every_copy()
    {
        var flow = Flow.Create<ByteString>();
        var upgrade = HttpResponse.Upgrade("websocket", flow, HttpHeaders.Of(("Sec-WebSocket-Accept", "x")));
        Assert.Equal(101, upgrade.StatusCode.Code);
        Assert.Equal("websocket", upgrade.UpgradeProtocol);
        Assert.Same(flow, upgrade.UpgradeFlow);
        var copy = upgrade.AddHeader("X-A", "1").SetHeader("X-B", "2").WithHeaders(upgrade.Headers.Add("X-C", "3"));
        Assert.Same(flow, copy.UpgradeFlow);
        Assert.Equal("websocket", copy.UpgradeProtocol);
        Assert.Equal("x", copy.Headers.Get("Sec-WebSocket-Accept"));
        Assert.Equal("h2c/1", HttpResponse.Upgrade("h2c/1", flow).UpgradeProtocol);
        Assert.Null(HttpResponse.Text("plain").UpgradeFlow);
    }

    [Theory]
    [InlineData("")]
    [InlineData("web socket")]
    [InlineData("a/")]
    [InlineData("/1")]
    [InlineData("a,b")]
    public void Upgrade_refuses_a_protocol_that_is_not_a_token(string protocol) =>
        Assert.Throws<ArgumentException>(() => HttpResponse.Upgrade(protocol, Flow.Create<ByteString>()));
}
