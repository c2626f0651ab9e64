using System.Text;
using Epsilon.Actors.Http.Http1.Rendering;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Http1.Rendering;

[Trait("Category", "Unit")]
public sealed class DateHeaderCacheTests
{
    [Fact]
    public void Formats_the_RFC_9110_example_as_IMF_fixdate()
    {
        var cache = new DateHeaderCache();
        var when = new DateTimeOffset(1994, 11, 6, 8, 49, 37, TimeSpan.Zero);
        Assert.Equal("Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n", Encoding.ASCII.GetString(cache.GetHeaderLine(when)));
        Assert.Equal("Sun, 06 Nov 1994 08:49:37 GMT", Encoding.ASCII.GetString(cache.GetValue(when)));
    }

    [Fact]
    public void Converts_other_offsets_to_GMT()
    {
        var cache = new DateHeaderCache();
        var when = new DateTimeOffset(2026, 1, 1, 1, 0, 0, TimeSpan.FromHours(2));
        Assert.Equal("Wed, 31 Dec 2025 23:00:00 GMT", Encoding.ASCII.GetString(cache.GetValue(when)));
    }

    [Fact]
    public void Keeps_the_value_within_a_second_and_changes_it_with_the_second()
    {
        var cache = new DateHeaderCache();
        var start = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
        var first = Encoding.ASCII.GetString(cache.GetValue(start));
        Assert.Equal(first, Encoding.ASCII.GetString(cache.GetValue(start.AddMilliseconds(999))));
        Assert.Equal("Wed, 25 Nov 2026 10:00:01 GMT", Encoding.ASCII.GetString(cache.GetValue(start.AddSeconds(1))));
        Assert.Equal("Wed, 25 Nov 2026 10:00:00 GMT", Encoding.ASCII.GetString(cache.GetValue(start)));
    }
}
