using Epsilon.Actors.Http.Server.Static;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Server.Static;

[Trait("Category", "Unit")]
public sealed class ByteRangeParserTests
{
    [Theory]
    [InlineData("bytes=0-499", 0, 500)]
    [InlineData("bytes=500-999", 500, 500)]
    [InlineData("bytes=500-", 500, 500)]
    [InlineData("bytes=-200", 800, 200)]
    [InlineData("bytes=-5000", 0, 1000)]
    [InlineData("bytes=900-5000", 900, 100)]
    [InlineData("bytes=999-999", 999, 1)]
    [InlineData(" Bytes=0-0 ", 0, 1)]
    [InlineData("bytes=2000-3000, 10-19", 10, 10)]
    [InlineData("bytes=0-9,", 0, 10)]
    public void One_satisfiable_range_is_partial(string header, long start, long length)
    {
        Assert.Equal(ByteRangeResult.Partial(start, length), ByteRangeParser.Evaluate(header, 1000));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("items=0-5")]
    [InlineData("BYTES = 0-0")]
    [InlineData("bytes=")]
    [InlineData("bytes=abc")]
    [InlineData("bytes=5-1")]
    [InlineData("bytes=-")]
    [InlineData("bytes=1-2-3")]
    [InlineData("bytes=0x10-20")]
    [InlineData("bytes=99999999999999999999-")]
    public void Missing_foreign_or_malformed_headers_are_ignored(string? header) =>
        Assert.Equal(ByteRangeKind.Full, ByteRangeParser.Evaluate(header, 1000).Kind);

    [Theory]
    [InlineData("bytes=1000-")]
    [InlineData("bytes=1000-2000")]
    [InlineData("bytes=-0")]
    [InlineData("bytes=5000-, 2000-3000")]
    public void No_satisfiable_range_is_unsatisfiable(string header) =>
        Assert.Equal(ByteRangeKind.Unsatisfiable, ByteRangeParser.Evaluate(header, 1000).Kind);

    [Fact]
    public void Any_range_of_an_empty_representation_is_unsatisfiable()
    {
        Assert.Equal(ByteRangeKind.Unsatisfiable, ByteRangeParser.Evaluate("bytes=0-", 0).Kind);
        Assert.Equal(ByteRangeKind.Unsatisfiable, ByteRangeParser.Evaluate("bytes=-10", 0).Kind);
    }

    [Theory]
    [InlineData("bytes=0-9,20-29")]
    [InlineData("bytes=0-9,-5")]
    public void Several_satisfiable_ranges_serve_the_whole_representation(string header) =>
        Assert.Equal(ByteRangeKind.Full, ByteRangeParser.Evaluate(header, 1000).Kind);

    [Fact]
    public void Too_many_ranges_make_the_header_be_ignored()
    {
        var header = "bytes=" + string.Join(",", Enumerable.Range(0, ByteRangeParser.MaxRanges + 1).Select(i => $"{i * 2000}-{(i * 2000) + 1}"));
        Assert.Equal(ByteRangeKind.Full, ByteRangeParser.Evaluate(header, 1000).Kind);
    }

    [Fact]
    public void Renders_content_range_values()
    {
        Assert.Equal("bytes 0-499/1234", ByteRangeParser.ContentRange(0, 500, 1234));
        Assert.Equal("bytes */1234", ByteRangeParser.UnsatisfiedContentRange(1234));
    }
}
