using System.Text;
using Epsilon.Actors.Http.Http2.Hpack;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Http2.Hpack;

[Trait("Category", "Unit")]
public sealed class HpackHuffmanTests
{
    [Theory]
    // Rows of RFC 7541 Appendix B: symbol, code as hex, length in bits.
    [InlineData(0, 0x1ff8u, 13)]
    [InlineData(1, 0x7fffd8u, 23)]
    [InlineData(10, 0x3ffffffcu, 30)]
    [InlineData(' ', 0x14u, 6)]
    [InlineData('0', 0x0u, 5)]
    [InlineData(':', 0x5cu, 7)]
    [InlineData('&', 0xf8u, 8)]
    [InlineData('z', 0x7bu, 7)]
    [InlineData('~', 0x1ffdu, 13)]
    [InlineData(127, 0xffffffcu, 28)]
    [InlineData(255, 0x3ffffeeu, 26)]
    [InlineData(HpackHuffman.Eos, 0x3fffffffu, 30)]
    public void Derives_the_codes_of_Appendix_B_from_the_code_lengths(int symbol, uint code, int length) =>
        Assert.Equal((code, length), HpackHuffman.CodeOf(symbol));

    [Fact]
    public void The_code_is_a_complete_prefix_code()
    {
        // Kraft: the sum of 2^-length over all 257 codes is exactly 1.
        long sum = 0;
        for (var s = 0; s <= HpackHuffman.Eos; s++) sum += 1L << (30 - HpackHuffman.CodeOf(s).Length);
        Assert.Equal(1L << 30, sum);
    }

    [Theory]
    // The Huffman-coded strings of RFC 7541 Appendix C.4 and C.6.
    [InlineData("www.example.com", "f1e3c2e5f23a6ba0ab90f4ff")]
    [InlineData("no-cache", "a8eb10649cbf")]
    [InlineData("custom-key", "25a849e95ba97d7f")]
    [InlineData("custom-value", "25a849e95bb8e8b4bf")]
    [InlineData("302", "6402")]
    [InlineData("307", "640eff")]
    [InlineData("private", "aec3771a4b")]
    [InlineData("gzip", "9bd9ab")]
    [InlineData("Mon, 21 Oct 2013 20:13:21 GMT", "d07abe941054d444a8200595040b8166e082a62d1bff")]
    [InlineData("https://www.example.com", "9d29ad171863c78f0b97c8e9ae82ae43d3")]
    [InlineData("", "")]
    public void Encodes_and_decodes_the_RFC_examples(string text, string hex)
    {
        var plain = Encoding.ASCII.GetBytes(text);
        var coded = Convert.FromHexString(hex);
        Assert.Equal(coded.Length, HpackHuffman.EncodedLength(plain));
        var encoded = new byte[coded.Length];
        Assert.Equal(coded.Length, HpackHuffman.Encode(plain, encoded));
        Assert.Equal(coded, encoded);
        var encodedFromChars = new byte[coded.Length];
        HpackHuffman.Encode(text.AsSpan(), encodedFromChars);
        Assert.Equal(coded, encodedFromChars);

        var decoded = new byte[coded.Length * 8 / 5 + 1];
        var written = HpackHuffman.Decode(coded, decoded);
        Assert.Equal(text, Encoding.ASCII.GetString(decoded, 0, written));
    }

    [Fact]
    public void Round_trips_every_octet_value_alone_and_together()
    {
        var all = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        foreach (var single in all.Select(b => new[] { b }).Append(all).Append([.. all.Reverse()]))
        {
            var coded = new byte[HpackHuffman.EncodedLength(single)];
            HpackHuffman.Encode(single, coded);
            var decoded = new byte[coded.Length * 8 / 5 + 1];
            var written = HpackHuffman.Decode(coded, decoded);
            Assert.Equal(single, decoded[..written]);
        }
    }

    [Theory]
    [InlineData("00", "padding of zeros")]
    [InlineData("ffff", "padding longer than 7 bits")]
    [InlineData("fffffffc", "EOS inside (30 ones then padding)")]
    [InlineData("1fff", "a valid '0' (5 bits) then 11 one-bits")]
    public void Rejects_bad_padding_and_EOS(string hex, string why)
    {
        var coded = Convert.FromHexString(hex);
        var ex = Assert.Throws<HpackDecodingException>(() => HpackHuffman.Decode(coded, new byte[16]));
        Assert.False(string.IsNullOrEmpty(ex.Message), why);
    }

    [Fact]
    public void Accepts_up_to_seven_bits_of_ones_as_padding()
    {
        // '0' is 00000: one octet 00000111 is '0' padded with three ones.
        var decoded = new byte[4];
        Assert.Equal(1, HpackHuffman.Decode([0x07], decoded));
        Assert.Equal((byte)'0', decoded[0]);
    }
}
