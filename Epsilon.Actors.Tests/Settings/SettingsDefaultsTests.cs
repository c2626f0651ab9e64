using Akka.Configuration;
using Epsilon.Actors.Http.Settings;
using Epsilon.Actors.Io;
using Epsilon.Actors.Io.Tcp;
using Epsilon.Actors.Io.Udp;
using Epsilon.Actors.Settings;
using Xunit;

namespace Epsilon.Actors.Tests.Settings;

[Trait("Category", "Unit")]
public sealed class SettingsDefaultsTests
{
    [Fact]
    public void Reference_conf_and_code_defaults_agree()
    {
        var fromConf = EpsilonIoSettings.FromConfig(EpsilonConfig.Section((Config?)null, "epsilon.io"));
        Assert.Equal(new EpsilonTcpSettings(), fromConf.Tcp);
        Assert.Equal(4096, fromConf.Tcp.MinBacklog);
        Assert.Equal(4096, fromConf.Tcp.DefaultBacklog);
        Assert.Equal(new EpsilonUdpSettings(), fromConf.Udp);

        Assert.Equal(new Epsilon.Actors.Io.Tls.TlsSettings(), fromConf.Tls);
        Assert.Equal(new EpsilonIoSettings(), fromConf);
    }

    [Fact]
    public void Reference_conf_and_code_defaults_agree_for_the_http_server()
    {
        var fromConf = HttpServerSettings.FromConfig(EpsilonConfig.Section((Config?)null, "epsilon.http.server"));
        Assert.Equal(new HttpServerSettings(), fromConf);
        Assert.Equal(4096, fromConf.ListenBacklog);
        Assert.Equal(TimeSpan.FromSeconds(2), fromConf.LingerTimeout);
    }

    [Fact]
    public void Hocon_overrides_reach_the_settings()
    {
        var config = ConfigurationFactory.ParseString("""
            epsilon.io { backend = portable, event-loops = 3, epoll-trigger = level
              tcp { receive-buffer-size = 16 KiB, register-timeout = infinite, connect-timeout = 2s, max-pending-write-bytes = 1 MiB } }
            """);
        var settings = EpsilonIoSettings.FromConfig(EpsilonConfig.Section(config, "epsilon.io"));
        Assert.Equal("portable", settings.Backend);
        Assert.Equal(3, settings.EffectiveEventLoops);
        Assert.False(settings.EdgeTriggered);
        Assert.Equal(16 * 1024, settings.Tcp.ReceiveBufferSize);
        Assert.Null(settings.Tcp.RegisterTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.Tcp.ConnectTimeout);
        Assert.Equal(1024 * 1024, settings.Tcp.MaxPendingWriteBytes);
    }

    [Theory]
    [InlineData("epsilon.io.backend = nonsense", "epsilon.io.backend")]
    [InlineData("epsilon.io.event-loops = -1", "epsilon.io.event-loops")]
    [InlineData("epsilon.io.epoll-trigger = sideways", "epsilon.io.epoll-trigger")]
    [InlineData("epsilon.io.tcp.receive-buffer-size = 10", "epsilon.io.tcp.receive-buffer-size")]
    [InlineData("epsilon.io.tcp.register-timeout = 0s", "epsilon.io.tcp.register-timeout")]
    [InlineData("epsilon.io.tcp.min-backlog = -1", "epsilon.io.tcp.min-backlog")]
    [InlineData("epsilon.io.tls.min-version = \"1.1\"", "epsilon.io.tls.min-version")]
    [InlineData("epsilon.io.tls.handshake-timeout = 1ms", "epsilon.io.tls.handshake-timeout")]
    [InlineData("epsilon.io.tls.cipher-suites = [TLS_RSA_WITH_NOTHING]", "epsilon.io.tls.cipher-suites")]
    public void Invalid_values_fail_naming_the_key(string hocon, string key)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() =>
            EpsilonIoSettings.FromConfig(EpsilonConfig.Section(ConfigurationFactory.ParseString(hocon), "epsilon.io")));
        Assert.Contains(key, ex.Message);
    }

    [Fact]
    public void Udp_overrides_reach_the_settings_and_invalid_ones_name_the_key()
    {
        var config = ConfigurationFactory.ParseString("epsilon.io.udp { max-datagrams-per-wakeup = 3, max-pending-sends = 7 }");
        var udp = EpsilonIoSettings.FromConfig(EpsilonConfig.Section(config, "epsilon.io")).Udp;
        Assert.Equal(3, udp.MaxDatagramsPerWakeup);
        Assert.Equal(7, udp.MaxPendingSends);

        var ex = Assert.ThrowsAny<ArgumentException>(() => EpsilonIoSettings.FromConfig(
            EpsilonConfig.Section(ConfigurationFactory.ParseString("epsilon.io.udp.max-pending-sends = 0"), "epsilon.io")));
        Assert.Contains("epsilon.io.udp.max-pending-sends", ex.Message);
    }

    [Fact]
    public void With_validates_like_construction()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EpsilonTcpSettings() with { BatchAcceptLimit = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new EpsilonTcpSettings() with { MinBacklog = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new EpsilonTcpSettings() with { MinBacklog = 65536 });
    }
}
