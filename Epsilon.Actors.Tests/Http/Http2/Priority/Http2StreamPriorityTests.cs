using System.Text;
using Epsilon.Actors.Http.Http2.Priority;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Http2.Priority;

[Trait("Category", "Unit")]
public sealed class Http2StreamPriorityTests
{
    [Theory]
    [InlineData("", 3, false)]
    [InlineData("u=0", 0, false)]
    [InlineData("u=7, i", 7, true)]
    [InlineData("i", 3, true)]
    [InlineData("i=?1", 3, true)]
    [InlineData("i=?0", 3, false)]
    [InlineData("  u=1 ,i  ", 1, true)]
    [InlineData("u=8", 3, false)] // out of range: ignored
    [InlineData("u=-1", 3, false)]
    [InlineData("u=1.5", 3, false)] // not an integer
    [InlineData("u=\"1\"", 3, false)] // a string
    [InlineData("i=1", 3, false)] // not a boolean
    [InlineData("x=5, u=2", 2, false)] // unknown keys ignored
    [InlineData("u=2, u=5", 5, false)] // the last wins
    [InlineData("u=2;foo=bar, i;x", 2, true)] // parameters ignored
    [InlineData(",,u=4,", 4, false)]
    public void Parses_priority_field_values_and_ignores_what_it_does_not_understand(string value, int urgency, bool incremental) =>
        Assert.Equal(new Http2StreamPriority(urgency, incremental), Http2StreamPriority.Parse(Encoding.ASCII.GetBytes(value), Http2StreamPriority.Default));

    [Fact]
    public void A_priority_update_changes_only_the_members_it_names()
    {
        var start = new Http2StreamPriority(1, true);
        Assert.Equal(new Http2StreamPriority(5, true), Http2StreamPriority.Parse("u=5"u8, start));
    }
}
