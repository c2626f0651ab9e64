using Akka.Configuration;
using Epsilon.Actors.Http.Settings;
using Epsilon.Actors.Settings;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Settings;

[Trait("Category", "Unit")]
public sealed class HttpServerSettingsTests
{
    [Fact]
    public void Reference_conf_and_code_defaults_agree()
    {
        var fromConf = HttpServerSettings.FromConfig(EpsilonConfig.Section((Config?)null, "epsilon.http.server"));
        Assert.Equal(new HttpServerSettings(), fromConf);
    }

    [Fact]
    public void Defaults_are_Kestrel_like()
    {
        var s = new HttpServerSettings();
        Assert.Equal(8192, s.MaxRequestLineSize);
        Assert.Equal(32768, s.MaxRequestHeadersTotalSize);
        Assert.Equal(100, s.MaxRequestHeaderCount);
        Assert.Equal(30_000_000, s.MaxRequestBodySize);
        Assert.Equal(TimeSpan.FromSeconds(30), s.RequestHeadersTimeout);
        Assert.Equal(240, s.MinRequestBodyDataRate);
        Assert.Equal(TimeSpan.FromSeconds(5), s.MinRequestBodyDataRateGracePeriod);
        Assert.Equal(TimeSpan.FromSeconds(130), s.KeepAliveTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), s.PrefaceTimeout);
        Assert.Null(s.MaxConcurrentConnections);
        Assert.Equal(64 * 1024, s.StrictRequestBodySize);
        Assert.Equal(1024 * 1024, s.MaxRequestBodyDrainSize);
        Assert.Equal(16 * 1024, s.InlineResponseBodySize);
        Assert.Equal(TimeSpan.FromSeconds(2), s.LingerTimeout);
        Assert.Equal(4096, s.ListenBacklog);
        Assert.Equal("", s.HandlerDispatcher);
    }

    [Fact]
    public void Hocon_overrides_reach_the_settings()
    {
        var config = ConfigurationFactory.ParseString("""
            epsilon.http.server {
              max-request-line-size = 16 KiB, max-request-headers-total-size = 64 KiB, max-request-header-count = 50
              max-request-body-size = infinite, max-chunk-extension-size = 1 KiB, request-headers-timeout = 10s
              min-request-body-data-rate = off, min-request-body-data-rate-grace-period = 2s, keep-alive-timeout = 5s
              preface-timeout = 250ms, max-concurrent-connections = 1000, max-pipelined-requests = 1, add-date-header = off
              strict-request-body-size = 0, max-request-body-drain-size = 2 MiB, inline-response-body-size = 1 KiB
              linger-timeout = 250ms, listen-backlog = 128 }
            """);
        var s = HttpServerSettings.FromConfig(EpsilonConfig.Section(config, "epsilon.http.server"));
        Assert.Equal(16 * 1024, s.MaxRequestLineSize);
        Assert.Equal(64 * 1024, s.MaxRequestHeadersTotalSize);
        Assert.Equal(50, s.MaxRequestHeaderCount);
        Assert.Null(s.MaxRequestBodySize);
        Assert.Equal(1024, s.MaxChunkExtensionSize);
        Assert.Equal(TimeSpan.FromSeconds(10), s.RequestHeadersTimeout);
        Assert.Null(s.MinRequestBodyDataRate);
        Assert.Equal(TimeSpan.FromSeconds(2), s.MinRequestBodyDataRateGracePeriod);
        Assert.Equal(TimeSpan.FromSeconds(5), s.KeepAliveTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(250), s.PrefaceTimeout);
        Assert.Equal(1000, s.MaxConcurrentConnections);
        Assert.Equal(1, s.MaxPipelinedRequests);
        Assert.False(s.AddDateHeader);
        Assert.Equal(0, s.StrictRequestBodySize);
        Assert.Equal(2 * 1024 * 1024, s.MaxRequestBodyDrainSize);
        Assert.Equal(1024, s.InlineResponseBodySize);
        Assert.Equal(TimeSpan.FromMilliseconds(250), s.LingerTimeout);
        Assert.Equal(128, s.ListenBacklog);
    }

    [Theory]
    [InlineData("max-request-line-size = 10")]
    [InlineData("max-request-headers-total-size = 100")]
    [InlineData("max-request-header-count = 0")]
    [InlineData("max-request-body-size = -1")]
    [InlineData("max-chunk-extension-size = 8")]
    [InlineData("request-headers-timeout = 0s")]
    [InlineData("min-request-body-data-rate = 0")]
    [InlineData("min-request-body-data-rate-grace-period = 500ms")]
    [InlineData("keep-alive-timeout = 0s")]
    [InlineData("preface-timeout = 1ms")]
    [InlineData("max-concurrent-connections = 0")]
    [InlineData("max-pipelined-requests = 0")]
    [InlineData("strict-request-body-size = 17 MiB")]
    [InlineData("max-request-body-drain-size = -1")]
    [InlineData("inline-response-body-size = 2 MiB")]
    [InlineData("linger-timeout = 0s")]
    [InlineData("listen-backlog = 0")]
    [InlineData("listen-backlog = 70000")]
    public void Invalid_values_fail_naming_the_key(string hocon)
    {
        var key = "epsilon.http.server." + hocon.Split(' ')[0];
        var ex = Assert.ThrowsAny<ArgumentException>(() =>
            HttpServerSettings.FromConfig(EpsilonConfig.Section(ConfigurationFactory.ParseString("epsilon.http.server." + hocon), "epsilon.http.server")));
        Assert.Contains(key, ex.Message);
    }

    [Fact]
    public void With_validates_like_construction()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HttpServerSettings() with { MaxRequestHeaderCount = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new HttpServerSettings() with { KeepAliveTimeout = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>(() => new HttpServerSettings() with { MaxPipelinedRequests = 2000 });
    }

    [Fact]
    public void Server_header_is_off_by_default_and_refuses_control_characters()
    {
        Assert.Null(new HttpServerSettings().ServerHeader);
        Assert.Null(new HttpServerSettings { ServerHeader = "" }.ServerHeader);
        Assert.Equal("Epsilon", new HttpServerSettings { ServerHeader = "Epsilon" }.ServerHeader);
        Assert.Throws<ArgumentException>(() => new HttpServerSettings { ServerHeader = "a\r\nX-Injected: 1" });
        var config = ConfigurationFactory.ParseString("epsilon.http.server.server-header = \"Epsilon/1\"");
        Assert.Equal("Epsilon/1", HttpServerSettings.FromConfig(EpsilonConfig.Section(config, "epsilon.http.server")).ServerHeader);
    }
}
