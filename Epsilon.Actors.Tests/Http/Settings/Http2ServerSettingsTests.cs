using Akka.Configuration;
using Epsilon.Actors.Http.Settings;
using Epsilon.Actors.Settings;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Settings;

[Trait("Category", "Unit")]
public sealed class Http2ServerSettingsTests
{
    [Fact]
    public void Reference_conf_and_code_defaults_agree()
    {
        var fromConf = HttpServerSettings.FromConfig(EpsilonConfig.Section((Config?)null, "epsilon.http.server"));
        Assert.Equal(new Http2ServerSettings(), fromConf.Http2);
    }

    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        var s = new Http2ServerSettings();
        Assert.Equal(100, s.MaxConcurrentStreams);
        Assert.Equal(4096, s.HeaderTableSize);
        Assert.Equal(16384, s.MaxFrameSize);
        Assert.Equal(32 * 1024, s.MaxHeaderListSize);
        Assert.Equal(1024 * 1024, s.InitialConnectionWindowSize);
        Assert.Equal(768 * 1024, s.InitialStreamWindowSize);
        Assert.Equal(32, s.MaxHeaderBlockFrames);
        Assert.Equal(200, s.ResetBudget);
        Assert.Equal(10000, s.ControlFrameBudget);
        Assert.Equal(TimeSpan.FromSeconds(1), s.FloodPeriod);
        Assert.Equal(100, s.RecentlyClosedStreams);
        Assert.Null(s.KeepAlivePingInterval);
        Assert.Equal(TimeSpan.FromSeconds(20), s.KeepAlivePingTimeout);
    }

    [Fact]
    public void Hocon_overrides_reach_the_settings_and_round_trip()
    {
        var config = ConfigurationFactory.ParseString("""
            epsilon.http.server.http2 { max-concurrent-streams = 7, max-frame-size = 1 MiB, keep-alive-ping-interval = 30s, initial-stream-window-size = 64 KiB }
            """);
        var s = HttpServerSettings.FromConfig(EpsilonConfig.Section(config, "epsilon.http.server"));
        Assert.Equal(7, s.Http2.MaxConcurrentStreams);
        Assert.Equal(1024 * 1024, s.Http2.MaxFrameSize);
        Assert.Equal(TimeSpan.FromSeconds(30), s.Http2.KeepAlivePingInterval);
        Assert.Equal(64 * 1024, s.Http2.InitialStreamWindowSize);
        Assert.Equal(s, HttpServerSettings.FromConfig(ConfigurationFactory.ParseString(s.ToHocon())));
        Assert.Equal(s.Http2, Http2ServerSettings.FromConfig(ConfigurationFactory.ParseString(s.Http2.ToHocon())));
    }

    [Theory]
    [InlineData("max-concurrent-streams = 0")]
    [InlineData("header-table-size = 2 MiB")]
    [InlineData("max-frame-size = 16383")]
    [InlineData("max-frame-size = 16 MiB")]
    [InlineData("max-header-list-size = 100")]
    [InlineData("initial-connection-window-size = 1000")]
    [InlineData("initial-stream-window-size = 100")]
    [InlineData("max-header-block-frames = 0")]
    [InlineData("reset-budget = 0")]
    [InlineData("control-frame-budget = 0")]
    [InlineData("flood-period = 0s")]
    [InlineData("recently-closed-streams = -1")]
    [InlineData("keep-alive-ping-interval = 0s")]
    [InlineData("keep-alive-ping-timeout = 0s")]
    public void Invalid_values_fail_naming_the_key(string hocon)
    {
        var key = "epsilon.http.server.http2." + hocon.Split(' ')[0];
        var ex = Assert.ThrowsAny<ArgumentException>(() =>
            HttpServerSettings.FromConfig(EpsilonConfig.Section(ConfigurationFactory.ParseString("epsilon.http.server.http2." + hocon), "epsilon.http.server")));
        Assert.Contains(key, ex.Message);
    }
}
