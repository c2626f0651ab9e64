using Epsilon.Actors.Http.Server.Static;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Server.Static;

[Trait("Category", "Unit")]
public sealed class HttpDateTests
{
    private static readonly DateTimeOffset s_example = new(1994, 11, 6, 8, 49, 37, TimeSpan.Zero);

    [Fact]
    public void Formats_imf_fixdate() =>
        Assert.Equal("Sun, 06 Nov 1994 08:49:37 GMT", HttpDate.Format(s_example.ToOffset(TimeSpan.FromHours(2))));

    [Theory]
    [InlineData("Sun, 06 Nov 1994 08:49:37 GMT")]
    [InlineData("Sunday, 06-Nov-94 08:49:37 GMT")]
    [InlineData("Sun Nov  6 08:49:37 1994")]
    [InlineData("  Sun, 06 Nov 1994 08:49:37 GMT ")]
    public void Parses_the_three_formats_of_RFC_9110(string text)
    {
        Assert.True(HttpDate.TryParse(text, out var value));
        Assert.Equal(s_example, value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1994-11-06T08:49:37Z")]
    [InlineData("Sun, 06 Nov 1994 08:49:37 PST")]
    [InlineData("Sun, 31 Feb 1994 08:49:37 GMT")]
    public void Rejects_anything_else(string? text) => Assert.False(HttpDate.TryParse(text, out _));

    [Fact]
    public void Truncates_to_whole_seconds() =>
        Assert.Equal(s_example, HttpDate.TruncateToSeconds(s_example.AddMilliseconds(999)));
}
