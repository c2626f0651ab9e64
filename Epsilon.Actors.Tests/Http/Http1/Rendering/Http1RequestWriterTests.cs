using System.Buffers;
using System.Text;
using CsCheck;
using Epsilon.Actors.Http.Http1.Parsing;
using Epsilon.Actors.Http.Http1.Rendering;
using Epsilon.Actors.Tests.Http.Http1.Parsing;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Http1.Rendering;

/// <summary>The request writer, byte-exact and as render → parse round trips of random requests (CsCheck).</summary>
[Trait("Category", "Unit")]
public sealed class Http1RequestWriterTests
{
    [Fact]
    public void Writes_a_request_byte_exact()
    {
        var output = new ArrayBufferWriter<byte>();
        Http1RequestWriter.WriteRequestLine(output, "POST"u8, "/submit?x=1"u8);
        Http1RequestWriter.WriteField(output, "Host", "example.com");
        Http1RequestWriter.WriteFraming(output, Http1BodyFraming.ContentLength, 5);
        Http1RequestWriter.EndHead(output);
        output.Write("hello"u8);
        Assert.Equal("POST /submit?x=1 HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5\r\n\r\nhello", Encoding.ASCII.GetString(output.WrittenSpan));

        var old = new ArrayBufferWriter<byte>();
        Http1RequestWriter.WriteRequestLine(old, "GET"u8, "/"u8, Http1Version.Http10);
        Http1RequestWriter.WriteFraming(old, Http1BodyFraming.None, -1);
        Http1RequestWriter.WriteFraming(old, Http1BodyFraming.Chunked, -1);
        Assert.Equal("GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n", Encoding.ASCII.GetString(old.WrittenSpan));
    }

    [Theory]
    [InlineData("GE T", "/")]
    [InlineData("", "/")]
    [InlineData("GET", "")]
    [InlineData("GET", "/a b")]
    [InlineData("GET", "/a\r\nX: y")]
    [InlineData("GET", "/caf\u00e9")]
    public void Refuses_an_invalid_method_or_target_and_writes_nothing(string method, string target)
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.Throws<ArgumentException>(() => Http1RequestWriter.WriteRequestLine(output, Encoding.Latin1.GetBytes(method), Encoding.Latin1.GetBytes(target)));
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void Refuses_close_delimited_framing_for_a_request() =>
        Assert.Throws<ArgumentException>(() => Http1RequestWriter.WriteFraming(new ArrayBufferWriter<byte>(), Http1BodyFraming.CloseDelimited, -1));

    [Fact]
    public void Random_requests_round_trip_through_the_parser_in_both_framings()
    {
        var methodAndTarget = Gen.Frequency((20, Gen.Select(Http1Gens.Method, Http1Gens.Target)), (1, Gen.Const(("OPTIONS", "*"))));
        var gen = Gen.Select(methodAndTarget, Http1Gens.Fields, Http1Gens.Body, Gen.Int[0, 2], Http1Gens.ChunkCuts, Http1Gens.Fields,
            (mt, fields, body, shape, cuts, trailers) => (mt.Item1, mt.Item2, fields, body, shape, cuts, trailers));
        gen.Sample(c =>
        {
            var (method, target, fields, body, shape, cuts, trailers) = c;
            var chunked = shape == 0;
            var version = shape == 2 ? Http1Version.Http10 : Http1Version.Http11;
            var output = new ArrayBufferWriter<byte>();
            Http1RequestWriter.WriteRequestLine(output, Encoding.ASCII.GetBytes(method), Encoding.ASCII.GetBytes(target), version);
            Http1RequestWriter.WriteField(output, "Host", "example.com:8080");
            foreach (var (name, value) in fields) Http1RequestWriter.WriteField(output, name, value);
            Http1RequestWriter.WriteFraming(output, chunked ? Http1BodyFraming.Chunked : Http1BodyFraming.ContentLength, body.Length);
            Http1RequestWriter.EndHead(output);
            if (chunked) WriteChunked(output, body, cuts, trailers);
            else output.Write(body);

            var r = Parse.Split(output.WrittenSpan.ToArray());
            Assert.Null(r.RejectedWith);
            var request = Assert.Single(r.Requests);
            Assert.Equal(method, request.MethodToken);
            Assert.Equal(target, request.Target);
            Assert.Equal(version, request.Version);
            (string, string) framing = chunked ? ("Transfer-Encoding", "chunked") : ("Content-Length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal([("Host", "example.com:8080"), .. fields, framing], request.Headers);
            Assert.Equal(body, request.Body.ToArray());
            Assert.Equal(chunked ? trailers : [], request.Trailers);
            Assert.True(request.Complete);
        }, iter: 80, threads: 1);
    }

    internal static void WriteChunked(IBufferWriter<byte> output, byte[] body, int[] cuts, (string Name, string Value)[] trailers)
    {
        var from = 0;
        foreach (var cut in cuts.Select(c => Math.Min(c, body.Length)).Append(body.Length))
        {
            ChunkedBodyEncoder.WriteChunk(output, body.AsSpan(from, cut - from));
            from = cut;
        }

        if (trailers.Length == 0)
        {
            ChunkedBodyEncoder.WriteLastChunk(output);
            return;
        }

        ChunkedBodyEncoder.BeginTrailers(output);
        foreach (var (name, value) in trailers) ChunkedBodyEncoder.WriteTrailer(output, name, value);
        ChunkedBodyEncoder.EndTrailers(output);
    }

    private static class Parse
    {
        public static RequestRecorder Split(byte[] bytes) => TestKit.SplitEverywhere.Run(bytes, () => new RequestRecorder());
    }
}
