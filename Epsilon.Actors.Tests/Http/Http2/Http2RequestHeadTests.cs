using System.Text;
using Epsilon.Actors.Http.Http2;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Http2;

[Trait("Category", "Unit")]
public sealed class Http2RequestHeadTests
{
    private static readonly (string, string)[] Get = [(":method", "GET"), (":scheme", "https"), (":authority", "example.com"), (":path", "/a?b")];

    private static Http2RequestHead Feed(bool trailers, bool allowProtocol, params (string Name, string Value)[] fields)
    {
        var head = new Http2RequestHead { AllowProtocol = allowProtocol };
        head.Begin(trailers);
        foreach (var (name, value) in fields) head.OnHeader(Encoding.Latin1.GetBytes(name), Encoding.Latin1.GetBytes(value));
        return head;
    }

    [Fact]
    public void Reads_a_request_and_maps_authority_to_host_and_joins_cookies()
    {
        var head = Feed(false, false, [.. Get, ("cookie", "a=1"), ("accept", "*/*"), ("cookie", "b=2"), ("content-length", "5"), ("priority", "u=1")]);
        var headers = head.Complete();
        Assert.NotNull(headers);
        Assert.Equal(("GET", "https", "example.com", "/a?b"), (head.Method, head.Scheme, head.Authority, head.Path));
        Assert.Equal("example.com", headers["host"]);
        Assert.Equal("a=1; b=2", headers["cookie"]);
        Assert.Equal(5, head.ContentLength);
        Assert.Equal("u=1", head.Priority);
    }

    [Fact]
    public void The_same_reader_serves_the_next_block_after_begin()
    {
        var head = Feed(false, false, [.. Get, ("x", "1")]);
        Assert.NotNull(head.Complete());
        head.Begin(false);
        head.OnHeader(":method"u8, "POST"u8);
        Assert.Null(head.Complete());
        Assert.Equal("POST", head.Method);
        Assert.Null(head.Path);
    }

    [Theory]
    [InlineData("Accept", "x", "uppercase")]
    [InlineData("connection", "keep-alive", "connection-specific")]
    [InlineData("keep-alive", "5", "connection-specific")]
    [InlineData("proxy-connection", "x", "connection-specific")]
    [InlineData("transfer-encoding", "chunked", "connection-specific")]
    [InlineData("upgrade", "h2c", "connection-specific")]
    [InlineData("te", "gzip", "te other")]
    [InlineData("x", " padded", "whitespace")]
    [InlineData("x", "a\rb", "CR")]
    [InlineData("x", "a\0b", "NUL")]
    [InlineData("bad name", "1", "not a token")]
    [InlineData("content-length", "1x", "content-length")]
    [InlineData("host", "other.example", "host differs")]
    public void Rejects_malformed_regular_fields(string name, string value, string reason)
    {
        var head = Feed(false, false, [.. Get, (name, value)]);
        Assert.Null(head.Complete());
        Assert.Contains(reason, head.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Accepts_te_trailers_and_an_equal_host()
    {
        Assert.NotNull(Feed(false, false, [.. Get, ("te", "trailers"), ("host", "EXAMPLE.com")]).Complete());
    }

    public static TheoryData<(string, string)[], string> BadPseudo => new()
    {
        { [(":method", "GET"), (":scheme", "https"), (":path", "/"), (":method", "GET")], "twice" },
        { [(":method", "GET"), ("x", "1"), (":path", "/"), (":scheme", "http")], "after a regular field" },
        { [(":method", "GET"), (":scheme", "https"), (":path", "/"), (":status", "200")], "not a request pseudo-header" },
        { [(":method", "GET"), (":scheme", "https"), (":path", "/"), (":foo", "x")], "not a request pseudo-header" },
        { [(":scheme", "https"), (":path", "/")], "no :method" },
        { [(":method", "GET"), (":path", "/")], "no :scheme" },
        { [(":method", "GET"), (":scheme", "https")], "no :scheme or no :path" },
        { [(":method", "GET"), (":scheme", "https"), (":path", "")], ":path is empty" },
        { [(":method", "GET"), (":scheme", "https"), (":path", "a")], "origin-form" },
        { [(":method", "GET"), (":scheme", "https"), (":path", "*")], "origin-form" },
        { [(":method", "CONNECT"), (":authority", "h:443"), (":path", "/")], "CONNECT with" },
        { [(":method", "CONNECT")], "CONNECT without :authority" },
        { [(":method", "GET"), (":scheme", "https"), (":path", "/"), (":protocol", "websocket")], "not a request pseudo-header" },
    };

    [Theory]
    [MemberData(nameof(BadPseudo))]
    public void Rejects_malformed_pseudo_headers((string, string)[] fields, string reason)
    {
        var head = Feed(false, false, fields);
        Assert.Null(head.Complete());
        Assert.Contains(reason, head.Error);
    }

    [Fact]
    public void Accepts_connect_options_star_and_extended_connect_when_enabled()
    {
        Assert.NotNull(Feed(false, false, (":method", "CONNECT"), (":authority", "example.com:443")).Complete());
        Assert.NotNull(Feed(false, false, (":method", "OPTIONS"), (":scheme", "https"), (":path", "*")).Complete());
        var ws = Feed(false, true, (":method", "CONNECT"), (":protocol", "websocket"), (":scheme", "https"), (":path", "/chat"), (":authority", "example.com"));
        Assert.NotNull(ws.Complete());
        Assert.Equal("websocket", ws.Protocol);
        var wrongMethod = Feed(false, true, (":method", "GET"), (":protocol", "websocket"), (":scheme", "https"), (":path", "/chat"));
        Assert.Null(wrongMethod.Complete());
        var incomplete = Feed(false, true, (":method", "CONNECT"), (":protocol", "websocket"), (":authority", "example.com"));
        Assert.Null(incomplete.Complete());
    }

    [Fact]
    public void Trailers_take_regular_fields_only()
    {
        var ok = Feed(true, false, ("grpc-status", "0"));
        Assert.Equal("0", ok.Complete()!["grpc-status"]);
        var bad = Feed(true, false, (":path", "/"));
        Assert.Null(bad.Complete());
        Assert.Contains("in trailers", bad.Error);
    }
}
