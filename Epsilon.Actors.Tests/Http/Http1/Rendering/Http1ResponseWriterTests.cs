using System.Buffers;
using System.Text;
using CsCheck;
using Epsilon.Actors.Http.Http1;
using Epsilon.Actors.Http.Http1.Parsing;
using Epsilon.Actors.Http.Http1.Rendering;
using Epsilon.Actors.Tests.Http.Http1.Parsing;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Http1.Rendering;

/// <summary>The response writer, byte-exact and as render → parse round trips of random responses (CsCheck).</summary>
[Trait("Category", "Unit")]
public sealed class Http1ResponseWriterTests
{
    private static readonly DateTimeOffset s_when = new(1994, 11, 6, 8, 49, 37, TimeSpan.Zero);

    [Fact]
    public void Writes_a_13_byte_text_plain_response_byte_exact()
    {
        var output = new ArrayBufferWriter<byte>();
        var plan = new Http1ResponsePlan(200, Http1BodyFraming.ContentLength, 13, true, Http1ConnectionHeader.None, false);
        Http1ResponseWriter.WriteResponseHead(output, plan);
        Http1ResponseWriter.WriteDate(output, new DateHeaderCache(), s_when);
        Http1ResponseWriter.WriteContentType(output, "text/plain"u8);
        Http1ResponseWriter.EndHead(output);
        output.Write("Hello, World!"u8);
        Assert.Equal(
            "HTTP/1.1 200 OK\r\nContent-Length: 13\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Type: text/plain\r\n\r\nHello, World!",
            Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData(Http1BodyFraming.Chunked, -1, Http1ConnectionHeader.None, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n")]
    [InlineData(Http1BodyFraming.ContentLength, 0, Http1ConnectionHeader.Close, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n")]
    [InlineData(Http1BodyFraming.CloseDelimited, -1, Http1ConnectionHeader.Close, "HTTP/1.1 200 OK\r\nConnection: close\r\n")]
    [InlineData(Http1BodyFraming.ContentLength, 1234567890123, Http1ConnectionHeader.KeepAlive, "HTTP/1.1 200 OK\r\nContent-Length: 1234567890123\r\nConnection: keep-alive\r\n")]
    [InlineData(Http1BodyFraming.None, -1, Http1ConnectionHeader.None, "HTTP/1.1 200 OK\r\n")]
    internal void Writes_the_framing_and_Connection_headers_the_plan_says(Http1BodyFraming framing, long length, Http1ConnectionHeader connection, string expected)
    {
        var output = new ArrayBufferWriter<byte>();
        Http1ResponseWriter.WriteResponseHead(output, new Http1ResponsePlan(200, framing, length, true, connection, connection == Http1ConnectionHeader.Close));
        Assert.Equal(expected, Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Writes_100_Continue_and_server_errors_complete()
    {
        var output = new ArrayBufferWriter<byte>();
        Http1ResponseWriter.WriteContinue(output);
        Http1ResponseWriter.WriteServerError(output, 431, close: true, new DateHeaderCache().GetHeaderLine(s_when));
        Assert.Equal(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\nConnection: close\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n",
            Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData("X-Evil", "a\r\nSet-Cookie: x=1")]
    [InlineData("X-Evil", "a\nb")]
    [InlineData("X-Evil", "a\u0000b")]
    [InlineData("X Evil", "a")]
    [InlineData("X-Evil:", "a")]
    [InlineData("", "a")]
    [InlineData("X-Wide", "\u20ac")]
    public void Refuses_invalid_fields_instead_of_splitting_the_response(string name, string value)
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.Throws<ArgumentException>(() => Http1ResponseWriter.WriteField(output, name, value));
        Assert.Equal(0, output.WrittenCount);
        if (!value.Any(c => c > 0xFF))
            Assert.Throws<ArgumentException>(() => Http1ResponseWriter.WriteField(output, Encoding.Latin1.GetBytes(name), Encoding.Latin1.GetBytes(value)));
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void Every_status_code_has_a_well_formed_status_line()
    {
        for (var code = 100; code < 600; code++)
        {
            var line = Encoding.ASCII.GetString(Http1StatusLines.For(code));
            Assert.StartsWith($"HTTP/1.1 {code} ", line);
            Assert.EndsWith("\r\n", line);
            Assert.Equal(Http1StatusLines.ReasonPhrase(code), line[13..^2]);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => Http1StatusLines.For(99).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => Http1StatusLines.For(600).Length);
    }

    [Fact]
    public void Random_responses_round_trip_through_the_response_parser()
    {
        var status = Gen.OneOf(Gen.Int[200, 599].Where(s => s is not (204 or 304)), Gen.OneOf(200, 201, 404, 500));
        var gen = Gen.Select(status, Http1Gens.Fields, Http1Gens.Body, Gen.Bool, Http1Gens.ChunkCuts, Http1Gens.Fields, Gen.Bool,
            (code, fields, body, chunked, cuts, trailers, close) => (code, fields, body, chunked, cuts, trailers, close));
        gen.Sample(c =>
        {
            var (code, fields, body, chunked, cuts, trailers, close) = c;
            var plan = new Http1ResponsePlan(code, chunked ? Http1BodyFraming.Chunked : Http1BodyFraming.ContentLength, chunked ? -1 : body.Length, true,
                close ? Http1ConnectionHeader.Close : Http1ConnectionHeader.None, close);
            var output = new ArrayBufferWriter<byte>();
            Http1ResponseWriter.WriteResponseHead(output, plan);
            foreach (var (name, value) in fields) Http1ResponseWriter.WriteField(output, name, value);
            Http1ResponseWriter.EndHead(output);
            if (chunked) Http1RequestWriterTests.WriteChunked(output, body, cuts, trailers);
            else output.Write(body);

            var r = ResponseRecorder.Parse(output.WrittenSpan.ToArray());
            Assert.Null(r.Rejection);
            var response = Assert.Single(r.Responses);
            Assert.Equal(code, response.StatusCode);
            Assert.Equal(Http1StatusLines.ReasonPhrase(code), response.Reason);
            Assert.Equal(fields, response.Headers.Where(h => h.Name is not ("Content-Length" or "Transfer-Encoding" or "Connection")));
            Assert.Equal(body, response.Body.ToArray());
            Assert.Equal(chunked ? trailers : [], response.Trailers);
            Assert.Equal(!close, response.Head!.Value.KeepAlive);
            Assert.True(response.Complete);
        }, iter: 150, threads: 1);
    }
}
