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
        Assert.Null(s.MaxConcurrentConnections);
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
              max-concurrent-connections = 1000, max-pipelined-requests = 1, add-date-header = off }
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
        Assert.Equal(1000, s.MaxConcurrentConnections);
        Assert.Equal(1, s.MaxPipelinedRequests);
        Assert.False(s.AddDateHeader);
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
    [InlineData("max-concurrent-connections = 0")]
    [InlineData("max-pipelined-requests = 0")]
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
