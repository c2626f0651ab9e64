using Epsilon.Actors.Http.Http1.Parsing;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Http1.Parsing;

/// <summary>The client-side response parser: status line, framing per RFC 9112 §6.3, split everywhere.</summary>
[Trait("Category", "Unit")]
public sealed class Http1ResponseParserTests
{
    [Fact]
    public void Parses_a_Content_Length_response()
    {
        var r = ResponseRecorder.Parse("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!");
        var response = Assert.Single(r.Responses);
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("OK", response.Reason);
        Assert.Equal("Hello, World!", response.BodyText);
        Assert.True(response.Complete);
        Assert.True(response.Head!.Value.KeepAlive);
    }

    [Fact]
    public void Parses_a_chunked_response_with_trailers_then_the_next_response()
    {
        var r = ResponseRecorder.Parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n0\r\nX-T: 1\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        Assert.Equal(2, r.Responses.Count);
        Assert.Equal("Wiki", r.Responses[0].BodyText);
        Assert.Equal([("X-T", "1")], r.Responses[0].Trailers);
        Assert.Equal(404, r.Responses[1].StatusCode);
    }

    [Theory]
    [InlineData(204)]
    [InlineData(304)]
    [InlineData(100)]
    [InlineData(103)]
    public void Responses_that_cannot_have_content_end_after_the_head(int status)
    {
        var r = ResponseRecorder.Parse($"HTTP/1.1 {status} X\r\nContent-Length: 10\r\n\r\n");
        Assert.Equal(Http1BodyFraming.None, r.Responses[0].Head!.Value.Framing);
        Assert.True(r.Responses[0].Complete);
    }

    [Fact]
    public void A_response_to_HEAD_has_no_body_whatever_its_Content_Length()
    {
        var r = ResponseRecorder.Parse("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", Http1Method.Head);
        Assert.Equal(2, r.Responses.Count);
        Assert.All(r.Responses, x => Assert.True(x.Complete));
    }

    [Fact]
    public void A_response_without_framing_reads_until_the_input_ends()
    {
        var r = ResponseRecorder.Parse("HTTP/1.0 200 OK\r\n\r\nall of this");
        Assert.Equal(Http1BodyFraming.CloseDelimited, r.Responses[0].Head!.Value.Framing);
        Assert.False(r.Responses[0].Head!.Value.KeepAlive);
        Assert.False(r.Responses[0].Complete);
        r.EndOfInput();
        Assert.True(r.Responses[0].Complete);
        Assert.Equal("all of this", r.Responses[0].BodyText);
    }

    [Fact]
    public void End_of_input_inside_a_framed_body_is_an_error()
    {
        var r = ResponseRecorder.Parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
        Assert.Throws<Http1Rejection>(r.EndOfInput);
    }

    [Theory]
    [InlineData("HTTP/1.1 200")]
    [InlineData("HTTP/1.1 200 ")]
    [InlineData("HTTP/1.1 599 Whatever you like")]
    public void Accepts_a_missing_or_free_reason_phrase(string statusLine) =>
        Assert.Null(ResponseRecorder.Parse(statusLine + "\r\nContent-Length: 0\r\n\r\n").Rejection);

    [Theory]
    [InlineData("HTTP/1.1 20 OK")]
    [InlineData("HTTP/1.1 2000 OK")]
    [InlineData("HTTP/1.1 abc OK")]
    [InlineData("HTTP/1.1 099 OK")]
    [InlineData("HTTP/1.1  200 OK")]
    [InlineData("HTTP/1.1 200 O\u0001K")]
    [InlineData("HTTX/1.1 200 OK")]
    [InlineData("ICY 200 OK")]
    public void Rejects_a_malformed_status_line(string statusLine)
    {
        var r = ResponseRecorder.Parse(statusLine + "\r\nContent-Length: 0\r\n\r\n");
        Assert.NotNull(r.Rejection);
        Assert.Equal(Http1RejectionReason.InvalidStatusLine, r.Rejection!.Reason);
    }

    [Fact]
    public void Rejects_differing_Content_Lengths_in_a_response() =>
        Assert.Equal(Http1RejectionReason.ConflictingContentLength, ResponseRecorder.Parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n").Rejection!.Reason);

    [Fact]
    public void Connection_close_and_HTTP_1_0_without_keep_alive_end_the_connection()
    {
        Assert.False(ResponseRecorder.Parse("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").Responses[0].Head!.Value.KeepAlive);
        Assert.False(ResponseRecorder.Parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").Responses[0].Head!.Value.KeepAlive);
        Assert.True(ResponseRecorder.Parse("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n").Responses[0].Head!.Value.KeepAlive);
    }
}
