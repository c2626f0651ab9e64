using System.Net.Security;
using System.Security.Authentication;
using Akka.Configuration;
using Epsilon.Actors.Http.Hosting;
using Epsilon.Actors.Http.Settings;
using Epsilon.Actors.Io;
using Epsilon.Actors.Io.Hosting;
using Epsilon.Actors.Io.Streams;
using Epsilon.Actors.Io.Tcp;
using Epsilon.Actors.Io.Tls;
using Epsilon.Actors.Io.Udp;
using Epsilon.Actors.Settings;
using Xunit;

namespace Epsilon.Actors.Tests.Hosting;

/// <summary>
/// Every settings type's <c>ToHocon()</c> read back by its own <c>FromConfig</c> gives an equal
/// value: for the defaults, and for each property moved off its default (so a key the writer
/// forgets, misspells or renders lossily fails here).
/// </summary>
[Trait("Category", "Unit")]
public sealed class SettingsHoconRoundTripTests
{
    public static TheoryData<string, EpsilonIoSettings> IoVariants() => new()
    {
        { "defaults", EpsilonIoSettings.Default },
        { "backend", EpsilonIoSettings.Default with { Backend = "portable" } },
        { "event-loops", EpsilonIoSettings.Default with { EventLoops = 3 } },
        { "epoll-trigger", EpsilonIoSettings.Default with { EdgeTriggered = false } },
        { "loop-dispatcher", EpsilonIoSettings.Default with { LoopDispatcher = false } },
        { "fallback-dispatcher", EpsilonIoSettings.Default with { FallbackDispatcher = "my-app.\"odd\\dispatcher\"" } },
        { "loop-throughput", EpsilonIoSettings.Default with { LoopThroughput = 7 } },
        { "spin-before-wait zero", EpsilonIoSettings.Default with { SpinBeforeWait = TimeSpan.Zero } },
        { "spin-before-wait one tick", EpsilonIoSettings.Default with { SpinBeforeWait = TimeSpan.FromTicks(1) } },
        { "spin-before-wait 10ms", EpsilonIoSettings.Default with { SpinBeforeWait = TimeSpan.FromMilliseconds(10) } },
        { "tcp", EpsilonIoSettings.Default with { Tcp = new EpsilonTcpSettings { MaxPendingWriteBytes = 1 << 20 } } },
        { "udp", EpsilonIoSettings.Default with { Udp = new EpsilonUdpSettings { MaxPendingSends = 9 } } },
        { "tls", EpsilonIoSettings.Default with { Tls = new TlsSettings { AllowTruncation = true } } },
    };

    public static TheoryData<string, EpsilonTcpSettings> TcpVariants() => new()
    {
        { "defaults", new EpsilonTcpSettings() },
        { "receive-buffer-size", new EpsilonTcpSettings { ReceiveBufferSize = 513 } },
        { "max-reads-per-wakeup", new EpsilonTcpSettings { MaxReadsPerWakeup = 1 } },
        { "max-pending-write-bytes", new EpsilonTcpSettings { MaxPendingWriteBytes = 1025 } },
        { "max-pending-write-bytes infinite", new EpsilonTcpSettings { MaxPendingWriteBytes = long.MaxValue } },
        { "max-pending-write-bytes huge", new EpsilonTcpSettings { MaxPendingWriteBytes = long.MaxValue - 1 } },
        { "batch-accept-limit", new EpsilonTcpSettings { BatchAcceptLimit = 4096 } },
        { "register-timeout", new EpsilonTcpSettings { RegisterTimeout = TimeSpan.FromMilliseconds(1500) } },
        { "register-timeout infinite", new EpsilonTcpSettings { RegisterTimeout = null } },
        { "connect-timeout", new EpsilonTcpSettings { ConnectTimeout = TimeSpan.FromMinutes(2) } },
        { "tcp-no-delay", new EpsilonTcpSettings { TcpNoDelay = false } },
        { "reuse-address-on-listeners", new EpsilonTcpSettings { ReuseAddressOnListeners = false } },
        { "default-backlog", new EpsilonTcpSettings { DefaultBacklog = 1 } },
        { "min-backlog", new EpsilonTcpSettings { MinBacklog = 0 } },
        { "min-backlog max", new EpsilonTcpSettings { MinBacklog = 65535 } },
    };

    public static TheoryData<string, EpsilonUdpSettings> UdpVariants() => new()
    {
        { "defaults", new EpsilonUdpSettings() },
        { "max-datagrams-per-wakeup", new EpsilonUdpSettings { MaxDatagramsPerWakeup = 1024 } },
        { "max-pending-sends", new EpsilonUdpSettings { MaxPendingSends = 1 } },
    };

    public static TheoryData<string, TlsSettings> TlsVariants() => new()
    {
        { "defaults", new TlsSettings() },
        { "min-version", new TlsSettings { MinVersion = SslProtocols.Tls13 } },
        { "max-version", new TlsSettings { MaxVersion = SslProtocols.Tls12 } },
        { "cipher-suites strict", new TlsSettings { CipherSuites = TlsSettings.ForwardSecretAeadSuites } },
        { "cipher-suites one", new TlsSettings { CipherSuites = [TlsCipherSuite.TLS_AES_256_GCM_SHA384] } },
        { "handshake-timeout", new TlsSettings { HandshakeTimeout = TimeSpan.FromMilliseconds(10.5) } },
        { "read-buffer-size", new TlsSettings { ReadBufferSize = 1024 * 1024 } },
        { "ocsp-stapling", new TlsSettings { OcspStapling = false } },
        { "allow-truncation", new TlsSettings { AllowTruncation = true } },
    };

    public static TheoryData<string, EpsilonTcpStreamSettings> TcpStreamVariants() => new()
    {
        { "defaults", EpsilonTcpStreamSettings.Default },
        { "bind-shutdown-timeout", new EpsilonTcpStreamSettings { BindShutdownTimeout = TimeSpan.FromHours(1) } },
    };

    public static TheoryData<string, HttpServerSettings> HttpVariants() => new()
    {
        { "defaults", new HttpServerSettings() },
        { "max-request-line-size", new HttpServerSettings { MaxRequestLineSize = 64 } },
        { "max-request-headers-total-size", new HttpServerSettings { MaxRequestHeadersTotalSize = 16 * 1024 * 1024 } },
        { "max-request-header-count", new HttpServerSettings { MaxRequestHeaderCount = 50 } },
        { "max-request-body-size", new HttpServerSettings { MaxRequestBodySize = 0 } },
        { "max-request-body-size infinite", new HttpServerSettings { MaxRequestBodySize = null } },
        { "max-chunk-extension-size", new HttpServerSettings { MaxChunkExtensionSize = 16 } },
        { "request-headers-timeout", new HttpServerSettings { RequestHeadersTimeout = TimeSpan.FromTicks(12_345_678) } },
        { "min-request-body-data-rate", new HttpServerSettings { MinRequestBodyDataRate = 1234.5678 } },
        { "min-request-body-data-rate off", new HttpServerSettings { MinRequestBodyDataRate = null } },
        { "min-request-body-data-rate-grace-period", new HttpServerSettings { MinRequestBodyDataRateGracePeriod = TimeSpan.FromHours(1) } },
        { "keep-alive-timeout", new HttpServerSettings { KeepAliveTimeout = TimeSpan.FromDays(3) } },
        { "preface-timeout", new HttpServerSettings { PrefaceTimeout = TimeSpan.FromMilliseconds(10) } },
        { "max-concurrent-connections", new HttpServerSettings { MaxConcurrentConnections = 1 } },
        { "max-pipelined-requests", new HttpServerSettings { MaxPipelinedRequests = 1024 } },
        { "add-date-header", new HttpServerSettings { AddDateHeader = false } },
        { "server-header", new HttpServerSettings { ServerHeader = "Epsilon \"1.0\" \\ caf\u00e9" } },
        { "strict-request-body-size", new HttpServerSettings { StrictRequestBodySize = 0 } },
        { "max-request-body-drain-size", new HttpServerSettings { MaxRequestBodyDrainSize = 1024L * 1024 * 1024 } },
        { "inline-response-body-size", new HttpServerSettings { InlineResponseBodySize = 1 } },
        { "linger-timeout", new HttpServerSettings { LingerTimeout = TimeSpan.FromTicks(1_234_567) } },
        { "listen-backlog", new HttpServerSettings { ListenBacklog = 65535 } },
        { "handler-dispatcher loop", new HttpServerSettings { HandlerDispatcher = "loop" } },
        { "handler-dispatcher id", new HttpServerSettings { HandlerDispatcher = "my-app.blocking-dispatcher" } },
    };

    [Theory]
    [MemberData(nameof(IoVariants))]
    public void Io_settings_read_back_equal(string changed, EpsilonIoSettings settings)
    {
        var config = EpsilonIoHostingExtensions.ToConfig(settings);
        Assert.True(settings == EpsilonIoSettings.FromConfig(EpsilonConfig.Section(config, "epsilon.io")), changed);
    }

    [Theory]
    [MemberData(nameof(TcpVariants))]
    public void Tcp_settings_read_back_equal(string changed, EpsilonTcpSettings settings)
    {
        var read = EpsilonIoSettings.FromConfig(EpsilonConfig.Section(EpsilonIoHostingExtensions.ToConfig(EpsilonIoSettings.Default with { Tcp = settings }), "epsilon.io"));
        Assert.True(settings == read.Tcp, changed);
        Assert.Equal(settings, EpsilonTcpSettings.FromConfig(ConfigurationFactory.ParseString(settings.ToHocon())));
    }

    [Theory]
    [MemberData(nameof(UdpVariants))]
    public void Udp_settings_read_back_equal(string changed, EpsilonUdpSettings settings)
    {
        var read = EpsilonIoSettings.FromConfig(EpsilonConfig.Section(EpsilonIoHostingExtensions.ToConfig(EpsilonIoSettings.Default with { Udp = settings }), "epsilon.io"));
        Assert.True(settings == read.Udp, changed);
    }

    [Theory]
    [MemberData(nameof(TlsVariants))]
    public void Tls_settings_read_back_equal(string changed, TlsSettings settings)
    {
        var read = EpsilonIoSettings.FromConfig(EpsilonConfig.Section(EpsilonIoHostingExtensions.ToConfig(EpsilonIoSettings.Default with { Tls = settings }), "epsilon.io"));
        Assert.True(settings == read.Tls, changed);
    }

    [Theory]
    [MemberData(nameof(TcpStreamVariants))]
    public void Tcp_stream_settings_read_back_equal(string changed, EpsilonTcpStreamSettings settings)
    {
        var config = EpsilonIoHostingExtensions.ToConfig(settings);
        Assert.True(settings == EpsilonTcpStreamSettings.FromConfig(EpsilonConfig.Section(config, "epsilon.io.tcp-stream")), changed);
    }

    [Theory]
    [MemberData(nameof(HttpVariants))]
    public void Http_server_settings_read_back_equal(string changed, HttpServerSettings settings)
    {
        var config = EpsilonHttpHostingExtensions.ToConfig(settings);
        Assert.True(settings == HttpServerSettings.FromConfig(EpsilonConfig.Section(config, "epsilon.http.server")), changed);
    }

    [Fact]
    public void Every_variant_differs_from_the_defaults()
    {
        // Guards the tables above: a variant equal to the defaults would prove nothing.
        Assert.All(IoVariants().Skip(1), row => Assert.NotEqual(EpsilonIoSettings.Default, (EpsilonIoSettings)row[1]));
        Assert.All(TcpVariants().Skip(1), row => Assert.NotEqual(new EpsilonTcpSettings(), (EpsilonTcpSettings)row[1]));
        Assert.All(UdpVariants().Skip(1), row => Assert.NotEqual(new EpsilonUdpSettings(), (EpsilonUdpSettings)row[1]));
        Assert.All(TlsVariants().Skip(1), row => Assert.NotEqual(new TlsSettings(), (TlsSettings)row[1]));
        Assert.All(TcpStreamVariants().Skip(1), row => Assert.NotEqual(EpsilonTcpStreamSettings.Default, (EpsilonTcpStreamSettings)row[1]));
        Assert.All(HttpVariants().Skip(1), row => Assert.NotEqual(new HttpServerSettings(), (HttpServerSettings)row[1]));
    }

    [Fact]
    public void Quote_escapes_what_hocon_would_misread()
    {
        var config = ConfigurationFactory.ParseString("a = " + HoconValues.Quote("x\"y\\z\t\u0001 ${q} # not a comment"));
        Assert.Equal("x\"y\\z\t\u0001 ${q} # not a comment", config.GetString("a"));
    }
}
