using Akka.Configuration;
using Epsilon.Actors.Io.Streams;
using Epsilon.Actors.Settings;
using Xunit;

namespace Epsilon.Actors.Tests.Io.Streams;

[Trait("Category", "Unit")]
public sealed class EpsilonTcpStreamSettingsTests
{
    [Fact]
    public void Reference_conf_and_code_defaults_agree()
    {
        Assert.Equal(new EpsilonTcpStreamSettings(), EpsilonTcpStreamSettings.FromConfig(EpsilonConfig.Section((Config?)null, "epsilon.io.tcp-stream")));
        Assert.Equal(TimeSpan.FromSeconds(5), EpsilonTcpStreamSettings.Default.BindShutdownTimeout);
    }

    [Fact]
    public void Hocon_overrides_reach_the_settings()
    {
        var config = ConfigurationFactory.ParseString("epsilon.io.tcp-stream.bind-shutdown-timeout = 250ms");
        var settings = EpsilonTcpStreamSettings.FromConfig(EpsilonConfig.Section(config, "epsilon.io.tcp-stream"));
        Assert.Equal(TimeSpan.FromMilliseconds(250), settings.BindShutdownTimeout);
    }

    [Theory]
    [InlineData("0s")]
    [InlineData("2h")]
    public void Invalid_values_fail_naming_the_key(string value)
    {
        var config = ConfigurationFactory.ParseString($"epsilon.io.tcp-stream.bind-shutdown-timeout = {value}");
        var ex = Assert.ThrowsAny<ArgumentException>(() => EpsilonTcpStreamSettings.FromConfig(EpsilonConfig.Section(config, "epsilon.io.tcp-stream")));
        Assert.Contains("epsilon.io.tcp-stream.bind-shutdown-timeout", ex.Message);
    }

    [Fact]
    public void With_validates_like_construction()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EpsilonTcpStreamSettings() with { BindShutdownTimeout = TimeSpan.Zero });
    }
}
