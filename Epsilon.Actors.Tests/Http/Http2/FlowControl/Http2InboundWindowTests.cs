using Epsilon.Actors.Http.Http2.FlowControl;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Http2.FlowControl;

[Trait("Category", "Unit")]
public sealed class Http2InboundWindowTests
{
    [Fact]
    public void Refuses_data_beyond_the_window()
    {
        var window = new Http2InboundWindow(65535);
        Assert.True(window.TryReceive(65535));
        Assert.False(window.TryReceive(1));
    }

    [Fact]
    public void Gives_credit_back_only_as_data_is_consumed_once_half_the_window_is_owed()
    {
        var window = new Http2InboundWindow(1000);
        Assert.True(window.TryReceive(1000));
        Assert.Equal(0, window.OnConsumed(300));
        Assert.Equal(0, window.OnConsumed(199));
        Assert.Equal(0, window.Available);
        Assert.Equal(500, window.OnConsumed(1));
        Assert.Equal(500, window.Available);
        Assert.Equal(0, window.Owed);
        Assert.True(window.TryReceive(500));
        Assert.False(window.TryReceive(1));
    }

    [Fact]
    public void Flush_gives_back_everything_owed()
    {
        var window = new Http2InboundWindow(1000);
        window.TryReceive(10);
        window.OnConsumed(10);
        Assert.Equal(10, window.Flush());
        Assert.Equal(0, window.Flush());
        Assert.Equal(1000, window.Available);
    }
}
