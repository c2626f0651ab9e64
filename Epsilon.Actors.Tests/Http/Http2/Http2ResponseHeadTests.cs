using System.Buffers;
using Epsilon.Actors.Http.Http2;
using Epsilon.Actors.Http.Http2.Hpack;
using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Tests.Http.Http2.Hpack;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Http2;

[Trait("Category", "Unit")]
public sealed class Http2ResponseHeadTests
{
    private static List<(string Name, string Value)> Decode(ArrayBufferWriter<byte> block, HpackDecoder decoder)
    {
        var collector = new HpackTestData.Collector();
        Assert.Equal(HpackBlockResult.Complete, decoder.Decode(block.WrittenSpan, true, ref collector));
        return collector.Fields;
    }

    [Fact]
    public void Writes_status_first_lowercase_names_and_drops_connection_specific_fields()
    {
        var encoder = new HpackEncoder();
        var output = new ArrayBufferWriter<byte>();
        var headers = HttpHeaders.Of(("Connection", "close"), ("Keep-Alive", "timeout=5"), ("Transfer-Encoding", "chunked"),
            ("Upgrade", "h2c"), ("Proxy-Connection", "x"), ("X-Custom", "A"), ("Cache-Control", "no-store"));
        Http2ResponseHead.Write(encoder, output, 404, headers, ContentType.Parse("text/plain"), 12, "Wed, 02 Dec 2026 00:00:00 GMT", "epsilon");
        Assert.Equal(
            [(":status", "404"), ("date", "Wed, 02 Dec 2026 00:00:00 GMT"), ("server", "epsilon"), ("content-type", "text/plain"),
             ("content-length", "12"), ("x-custom", "A"), ("cache-control", "no-store")],
            Decode(output, new HpackDecoder(4096, 65536)));
    }

    [Fact]
    public void Leaves_out_what_the_headers_already_carry_and_content_type_on_204()
    {
        var encoder = new HpackEncoder();
        var output = new ArrayBufferWriter<byte>();
        var headers = HttpHeaders.Of(("Date", "then"), ("Server", "mine"), ("Content-Length", "0"));
        Http2ResponseHead.Write(encoder, output, 204, headers, ContentType.Parse("text/plain"), 0, "now", "epsilon");
        Assert.Equal([(":status", "204"), ("date", "then"), ("server", "mine"), ("content-length", "0")], Decode(output, new HpackDecoder(4096, 65536)));
    }

    [Fact]
    public void Writes_trailers_without_pseudo_headers_and_repeats_cheaply_through_the_table()
    {
        var encoder = new HpackEncoder();
        var decoder = new HpackDecoder(4096, 65536);
        var first = new ArrayBufferWriter<byte>();
        Http2ResponseHead.WriteTrailers(encoder, first, HttpHeaders.Of(("grpc-status", "0"), ("Trailer-X", "1")));
        Assert.Equal([("grpc-status", "0"), ("trailer-x", "1")], Decode(first, decoder));
        var second = new ArrayBufferWriter<byte>();
        Http2ResponseHead.WriteTrailers(encoder, second, HttpHeaders.Of(("grpc-status", "0"), ("Trailer-X", "1")));
        Assert.Equal(2, second.WrittenCount);
        Assert.Equal([("grpc-status", "0"), ("trailer-x", "1")], Decode(second, decoder));
    }
}
