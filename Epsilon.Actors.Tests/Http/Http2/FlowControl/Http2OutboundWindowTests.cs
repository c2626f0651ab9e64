using Epsilon.Actors.Http.Http2.FlowControl;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Http2.FlowControl;

[Trait("Category", "Unit")]
public sealed class Http2OutboundWindowTests
{
    [Fact]
    public void Allows_what_the_window_holds_and_consumes_it()
    {
        var window = new Http2OutboundWindow(Http2OutboundWindow.DefaultInitialSize);
        Assert.Equal(16384, window.Allowed(16384));
        window.Consume(65000);
        Assert.Equal(535, window.Allowed(16384));
        window.Consume(535);
        Assert.Equal(0, window.Allowed(1));
        Assert.Throws<InvalidOperationException>(() => window.Consume(1));
    }

    [Fact]
    public void Accepts_increases_up_to_2_to_the_31_minus_1_exactly()
    {
        var window = new Http2OutboundWindow(Http2OutboundWindow.DefaultInitialSize);
        Assert.True(window.TryIncrease(int.MaxValue - 65535));
        Assert.Equal(int.MaxValue, window.Available);
        Assert.False(window.TryIncrease(1));
        Assert.Equal(int.MaxValue, window.Available);
    }

    [Fact]
    public void A_lower_initial_window_setting_may_leave_the_window_negative_until_updates_arrive()
    {
        var window = new Http2OutboundWindow(65535);
        window.Consume(60000);
        // SETTINGS_INITIAL_WINDOW_SIZE 65535 -> 1000: delta -64535 (§6.9.2).
        Assert.True(window.TryAdjust(1000 - 65535));
        Assert.Equal(-59000, window.Available);
        Assert.Equal(0, window.Allowed(100));
        Assert.True(window.TryIncrease(59100));
        Assert.Equal(100, window.Allowed(16384));
    }

    [Fact]
    public void A_higher_initial_window_setting_that_overflows_is_refused()
    {
        var window = new Http2OutboundWindow(65535);
        Assert.True(window.TryIncrease(int.MaxValue - 65535));
        Assert.False(window.TryAdjust(1));
        Assert.True(window.TryAdjust(-10));
    }
}
