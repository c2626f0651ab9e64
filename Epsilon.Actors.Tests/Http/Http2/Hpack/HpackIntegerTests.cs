using Epsilon.Actors.Http.Http2.Hpack;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Http2.Hpack;

[Trait("Category", "Unit")]
public sealed class HpackIntegerTests
{
    [Theory]
    // RFC 7541 C.1.1 (10, 5-bit prefix), C.1.2 (1337, 5-bit prefix), C.1.3 (42 at an octet boundary).
    [InlineData(10, 5, "0a")]
    [InlineData(1337, 5, "1f9a0a")]
    [InlineData(42, 8, "2a")]
    [InlineData(31, 5, "1f00")]
    [InlineData(127, 7, "7f00")]
    [InlineData(int.MaxValue, 5, "1fe0ffffff07")]
    public void Encodes_and_decodes_the_RFC_examples_and_edges(int value, int prefix, string hex)
    {
        var expected = Convert.FromHexString(hex);
        var buffer = new byte[8];
        var written = HpackInteger.Encode(buffer, value, prefix, 0);
        Assert.Equal(expected, buffer[..written]);
        Assert.Equal(written, HpackInteger.EncodedLength(value, prefix));

        var decoder = new HpackInteger.Decoder();
        var done = decoder.Start(expected[0], prefix, out var decoded);
        for (var i = 1; i < expected.Length; i++)
        {
            Assert.False(done);
            done = decoder.Continue(expected[i], out decoded);
        }

        Assert.True(done);
        Assert.Equal(value, decoded);
    }

    [Fact]
    public void Keeps_the_flag_bits_above_the_prefix()
    {
        var buffer = new byte[8];
        HpackInteger.Encode(buffer, 10, 5, 0xe0);
        Assert.Equal(0xea, buffer[0]);
        var decoder = new HpackInteger.Decoder();
        Assert.True(decoder.Start(0xea, 5, out var value));
        Assert.Equal(10, value);
    }

    [Theory]
    [InlineData("1fe1ffffff07")] // 2^31
    [InlineData("1f8080808080808001")] // zero groups past 32 bits
    public void Rejects_integers_over_2_to_the_31_minus_1(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        var decoder = new HpackInteger.Decoder();
        decoder.Start(bytes[0], 5, out _);
        Assert.Throws<HpackDecodingException>(() =>
        {
            for (var i = 1; i < bytes.Length; i++) decoder.Continue(bytes[i], out _);
        });
    }
}
