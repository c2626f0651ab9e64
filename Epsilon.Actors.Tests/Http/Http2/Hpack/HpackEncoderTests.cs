using System.Buffers;
using Epsilon.Actors.Http.Http2.Hpack;
using Xunit;
using static Epsilon.Actors.Tests.Http.Http2.Hpack.HpackTestData;

namespace Epsilon.Actors.Tests.Http.Http2.Hpack;

[Trait("Category", "Unit")]
public sealed class HpackEncoderTests
{
    private static byte[] Encode(HpackEncoder encoder, (string Name, string Value)[] fields)
    {
        var output = new ArrayBufferWriter<byte>();
        encoder.BeginBlock(output);
        foreach (var (name, value) in fields) encoder.Encode(output, name, value);
        return output.WrittenSpan.ToArray();
    }

    [Fact]
    public void Encodes_the_C4_requests_exactly_as_the_RFC()
    {
        // C.4's encoder indexes every literal and Huffman-codes every string: the same choices as ours.
        var encoder = new HpackEncoder();
        foreach (var (hex, fields, sizeAfter) in C4.Blocks)
        {
            Assert.Equal(Convert.ToHexStringLower(Bytes(hex)), Convert.ToHexStringLower(Encode(encoder, fields)));
            Assert.Equal(sizeAfter, encoder.Table.Size);
        }
    }

    [Fact]
    public void Encodes_the_C6_responses_so_that_they_decode_with_the_RFC_table_sizes()
    {
        // C.6's set-cookie is indexed there; ours is never indexed (sensitive), so the bytes differ from the
        // third block on but each list must decode the same.
        var encoder = new HpackEncoder(256);
        encoder.SetPeerMaxTableSize(256);
        var decoder = new HpackDecoder(256, 16384);
        foreach (var (_, fields, _) in C6.Blocks)
        {
            var block = Encode(encoder, fields);
            var collector = new Collector();
            Assert.Equal(HpackBlockResult.Complete, decoder.Decode(block, true, ref collector));
            Assert.Equal(fields, collector.Fields);
            Assert.Equal(encoder.Table.Size, decoder.Table.Size);
        }
    }

    [Fact]
    public void Writes_sensitive_fields_never_indexed()
    {
        var encoder = new HpackEncoder();
        var block = Encode(encoder, [("authorization", "Bearer abc"), ("cookie", "a=1")]);
        // Never indexed with the static name index: 0001 + 4-bit prefix (23 = 15 + 8).
        Assert.Equal(0x1f, block[0]);
        Assert.Equal(0x08, block[1]);
        Assert.Equal(0, encoder.Table.Count);
        var decoder = new HpackDecoder(4096, 16384);
        var collector = new Collector();
        decoder.Decode(block, true, ref collector);
        Assert.Equal([("authorization", "Bearer abc"), ("cookie", "a=1")], collector.Fields);
    }

    [Fact]
    public void Signals_a_lowered_peer_table_size_with_the_smallest_then_the_final_size()
    {
        var encoder = new HpackEncoder();
        Encode(encoder, Request1);
        encoder.SetPeerMaxTableSize(0);
        encoder.SetPeerMaxTableSize(1024);
        var output = new ArrayBufferWriter<byte>();
        encoder.BeginBlock(output);
        // 0x20 = update to 0; 0x3f e1 07 = update to 1024.
        Assert.Equal("203fe107", Convert.ToHexStringLower(output.WrittenSpan));
        Assert.Equal(0, encoder.Table.Count);

        var decoder = new HpackDecoder(4096, 16384);
        var collector = new Collector();
        decoder.Decode(Bytes(C3.Blocks[0].Hex), true, ref collector);
        decoder.SetMaxAllowedTableSize(1024);
        encoder.Encode(output, ":path", "/x");
        Assert.Equal(HpackBlockResult.Complete, decoder.Decode(output.WrittenSpan, true, ref collector));
        Assert.Equal(1024, decoder.Table.MaxSize);
    }

    [Fact]
    public void Round_trips_random_lists_under_table_churn()
    {
        var random = new Random(7541);
        var names = new[] { ":path", ":status", "content-type", "x-trace", "date", "etag", "vary", "x-a", "set-cookie", "accept" };
        var encoder = new HpackEncoder(4096);
        var decoder = new HpackDecoder(4096, 1 << 20);
        var peerSize = 4096;
        for (var round = 0; round < 2000; round++)
        {
            if (random.Next(50) == 0)
            {
                peerSize = random.Next(0, 4097);
                encoder.SetPeerMaxTableSize(peerSize);
            }

            var fields = Enumerable.Range(0, random.Next(1, 12))
                .Select(_ => (names[random.Next(names.Length)], new string((char)random.Next(32, 256), random.Next(0, random.Next(2) == 0 ? 8 : 300))))
                .ToArray();
            var block = Encode(encoder, fields);
            var collector = new Collector();
            // Split the block in two at a random offset, as HEADERS + CONTINUATION would.
            var cut = random.Next(0, block.Length + 1);
            decoder.Decode(block.AsSpan(0, cut), false, ref collector);
            Assert.Equal(HpackBlockResult.Complete, decoder.Decode(block.AsSpan(cut), true, ref collector));
            Assert.Equal(fields, collector.Fields);
            Assert.Equal(encoder.Table.Size, decoder.Table.Size);
            Assert.Equal(encoder.Table.Count, decoder.Table.Count);
        }
    }
}
