using Epsilon.Actors.Http.Http2.Hpack;
using Xunit;
using static Epsilon.Actors.Tests.Http.Http2.Hpack.HpackTestData;

namespace Epsilon.Actors.Tests.Http.Http2.Hpack;

[Trait("Category", "Unit")]
public sealed class HpackDecoderTests
{
    public static TheoryData<string> Sections => [.. All.Select(s => s.Section)];

    private static Sequence SequenceOf(string section) => All.Single(s => s.Section == section);

    private static (List<(string, string)> Fields, HpackBlockResult Result) DecodeIn(HpackDecoder decoder, byte[] block, params int[] cuts)
    {
        var collector = new Collector();
        var result = HpackBlockResult.Incomplete;
        var from = 0;
        foreach (var cut in cuts.Append(block.Length))
        {
            result = decoder.Decode(block.AsSpan(from, cut - from), cut == block.Length, ref collector);
            from = cut;
        }

        return (collector.Fields, result);
    }

    [Theory]
    [MemberData(nameof(Sections))]
    public void Decodes_the_Appendix_C_sequences_with_the_table_sizes_of_the_RFC(string section)
    {
        var sequence = SequenceOf(section);
        var decoder = new HpackDecoder(sequence.TableSize, 16384);
        foreach (var (hex, fields, sizeAfter) in sequence.Blocks)
        {
            var (decoded, result) = DecodeIn(decoder, Bytes(hex));
            Assert.Equal(HpackBlockResult.Complete, result);
            Assert.Equal(fields, decoded);
            Assert.Equal(sizeAfter, decoder.Table.Size);
        }
    }

    [Theory]
    [MemberData(nameof(Sections))]
    public void Decodes_the_same_when_each_block_is_split_at_every_offset_or_byte_by_byte(string section)
    {
        var sequence = SequenceOf(section);
        var blocks = sequence.Blocks.Select(b => Bytes(b.Hex)).ToArray();
        var lengths = blocks.Select(b => b.Length).ToArray();
        var shapes = new List<Func<int, int[]>> { i => [.. Enumerable.Range(1, lengths[i] - 1)] };
        for (var k = 1; k < lengths.Max(); k++)
        {
            var cut = k;
            shapes.Add(i => cut < lengths[i] ? [cut] : []);
            shapes.Add(i => cut < lengths[i] ? [cut / 2, cut] : []);
        }

        foreach (var shape in shapes)
        {
            var decoder = new HpackDecoder(sequence.TableSize, 16384);
            for (var i = 0; i < blocks.Length; i++)
            {
                var cuts = shape(i).Where(c => c > 0).Distinct().Order().ToArray();
                var (decoded, result) = DecodeIn(decoder, blocks[i], cuts);
                Assert.Equal(HpackBlockResult.Complete, result);
                Assert.Equal(sequence.Blocks[i].Fields, decoded);
                Assert.Equal(sequence.Blocks[i].SizeAfter, decoder.Table.Size);
            }
        }
    }

    [Fact]
    public void Reports_incomplete_until_end_of_headers()
    {
        var decoder = new HpackDecoder(4096, 16384);
        var block = Bytes(C3.Blocks[0].Hex);
        var collector = new Collector();
        Assert.Equal(HpackBlockResult.Incomplete, decoder.Decode(block, false, ref collector));
        Assert.Equal(HpackBlockResult.Complete, decoder.Decode([], true, ref collector));
        Assert.Equal(Request1, collector.Fields);
    }

    [Theory]
    // C.2.1–C.2.4: one field each, and what it leaves in the table.
    [InlineData("400a637573746f6d2d6b65790d637573746f6d2d686561646572", "custom-key", "custom-header", 55)]
    [InlineData("040c2f73616d706c652f70617468", ":path", "/sample/path", 0)]
    [InlineData("100870617373776f726406736563726574", "password", "secret", 0)]
    [InlineData("82", ":method", "GET", 0)]
    public void Decodes_the_C2_single_fields(string hex, string name, string value, int sizeAfter)
    {
        var decoder = new HpackDecoder(4096, 16384);
        var (fields, result) = DecodeIn(decoder, Bytes(hex));
        Assert.Equal(HpackBlockResult.Complete, result);
        Assert.Equal([(name, value)], fields);
        Assert.Equal(sizeAfter, decoder.Table.Size);
    }

    [Theory]
    [InlineData("80", "index 0")]
    [InlineData("be", "index 62 with an empty dynamic table")]
    [InlineData("7f00", "name index 63 with an empty dynamic table")]
    [InlineData("3fe21f", "size update to 4097 over the allowed 4096")]
    [InlineData("823f", "size update after a field (and incomplete)")]
    [InlineData("8220", "size update to 0 after a field")]
    [InlineData("4185f1e3c2e5", "block ends inside a Huffman value")]
    [InlineData("41", "block ends after the name index")]
    [InlineData("ff", "block ends inside an integer")]
    [InlineData("ffffffffff0f", "index over 2^31-1")]
    [InlineData("418100", "Huffman value padded with zeros")]
    [InlineData("4184fffffffc", "Huffman value containing EOS")]
    public void Rejects_malformed_blocks_with_a_decoding_error(string hex, string why)
    {
        var decoder = new HpackDecoder(4096, 16384);
        var ex = Assert.Throws<HpackDecodingException>(() => DecodeIn(decoder, Bytes(hex)));
        Assert.False(string.IsNullOrEmpty(ex.Message), why);
    }

    [Fact]
    public void Applies_size_updates_at_the_start_of_a_block_and_evicts()
    {
        var decoder = new HpackDecoder(4096, 16384);
        DecodeIn(decoder, Bytes(C3.Blocks[0].Hex));
        DecodeIn(decoder, Bytes(C3.Blocks[1].Hex));
        Assert.Equal(110, decoder.Table.Size);

        // 0x3f 0x1f = size update to 62: eviction down to 62 keeps the newest entry, cache-control (53),
        // alone; then index 62 resolves to it.
        var (fields, result) = DecodeIn(decoder, Bytes("3f1fbe"));
        Assert.Equal(HpackBlockResult.Complete, result);
        Assert.Equal([("cache-control", "no-cache")], fields);
        Assert.Equal(53, decoder.Table.Size);
        Assert.Equal(62, decoder.Table.MaxSize);
    }

    [Fact]
    public void Requires_a_size_update_after_the_allowed_size_was_lowered()
    {
        var decoder = new HpackDecoder(4096, 16384);
        DecodeIn(decoder, Bytes(C3.Blocks[0].Hex));
        decoder.SetMaxAllowedTableSize(100);
        Assert.Throws<HpackDecodingException>(() => DecodeIn(decoder, Bytes("82")));

        var again = new HpackDecoder(4096, 16384);
        again.SetMaxAllowedTableSize(100);
        // Two updates (0, then 100) at the start are fine.
        var (fields, result) = DecodeIn(again, Bytes("203f4582"));
        Assert.Equal(HpackBlockResult.Complete, result);
        Assert.Equal([(":method", "GET")], fields);
        Assert.Equal(100, again.Table.MaxSize);
    }

    [Fact]
    public void A_list_over_the_limit_completes_too_large_and_keeps_the_table_in_step()
    {
        // Limit 100: C.3's first request is 4 fields of 42+36+37+57 octets = 172 > 100.
        var decoder = new HpackDecoder(4096, 100);
        var (fields, result) = DecodeIn(decoder, Bytes(C3.Blocks[0].Hex));
        Assert.Equal(HpackBlockResult.CompleteTooLarge, result);
        Assert.Equal([(":method", "GET"), (":scheme", "http")], fields);
        // :authority was still added to the table: the next block's index 62 resolves.
        Assert.Equal(57, decoder.Table.Size);
        var (next, nextResult) = DecodeIn(decoder, Bytes("be"));
        Assert.Equal(HpackBlockResult.Complete, nextResult);
        Assert.Equal([(":authority", "www.example.com")], next);
    }

    [Fact]
    public void An_HPACK_bomb_costs_no_memory_and_empties_the_table()
    {
        // A literal with incremental indexing and a 1 MiB value: larger than the table, larger than the list limit.
        var decoder = new HpackDecoder(4096, 16384);
        DecodeIn(decoder, Bytes(C3.Blocks[0].Hex));
        var head = new byte[16];
        var n = 0;
        head[n++] = 0x40;
        head[n++] = 0x01;
        head[n++] = (byte)'x';
        n += HpackInteger.Encode(head.AsSpan(n), 1 << 20, 7, 0x00);
        var collector = new Collector();
        Assert.Equal(HpackBlockResult.Incomplete, decoder.Decode(head.AsSpan(0, n), false, ref collector));
        var chunk = new byte[16384];
        Array.Fill(chunk, (byte)'a');
        var before = GC.GetAllocatedBytesForCurrentThread();
        var incomplete = 0;
        for (var i = 0; i < 64; i++)
        {
            if (decoder.Decode(chunk, false, ref collector) == HpackBlockResult.Incomplete) incomplete++;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(64, incomplete);
        Assert.Equal(HpackBlockResult.CompleteTooLarge, decoder.Decode([], true, ref collector));
        Assert.True(allocated < 4096, $"decoding a skipped 1 MiB string allocated {allocated} bytes");
        Assert.Empty(collector.Fields);
        Assert.Equal(0, decoder.Table.Count);
    }

    [Fact]
    public void A_value_kept_only_for_the_table_is_indexed_but_not_delivered()
    {
        // List limit 50 (one field "custom-key: custom-header" is 55): too large for the list, fits the table.
        var decoder = new HpackDecoder(4096, 50);
        var (fields, result) = DecodeIn(decoder, Bytes("400a637573746f6d2d6b65790d637573746f6d2d686561646572"));
        Assert.Equal(HpackBlockResult.CompleteTooLarge, result);
        Assert.Empty(fields);
        Assert.Equal(55, decoder.Table.Size);
    }
}
