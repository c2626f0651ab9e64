using System.Net;
using Akka.Actor;
using Akka.Hosting;
using Epsilon.Actors.Http;
using Epsilon.Actors.Http.Hosting;
using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server;
using Epsilon.Actors.Http.Settings;
using Epsilon.Actors.Io;
using Epsilon.Actors.Io.Hosting;
using Epsilon.Actors.Io.Tcp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Epsilon.Actors.Tests.Hosting;

/// <summary>
/// <c>AddEpsilonIo</c> and <c>AddEpsilonHttp</c> in a real <c>Microsoft.Extensions.Hosting</c>
/// host: the running actor system sees the configured values, and an HTTP server it binds on
/// loopback enforces the configured header limit against HttpClient.
/// </summary>
[Trait("Category", "Loopback")]
public sealed class EpsilonHostingExtensionsTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Hosted_system_carries_the_configured_settings_and_the_server_enforces_them()
    {
        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("epsilon-hosting", b => b
                .AddHocon("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING\nakka.log-dead-letters = off", HoconAddMode.Append)
                .AddEpsilonIo(io => io with { EventLoops = 2, Tcp = io.Tcp with { MaxPendingWriteBytes = 1 << 20 } })
                .AddEpsilonHttp(http => http with { MaxRequestHeaderCount = 50, ServerHeader = "epsilon-hosted" })))
            .Build();
        await host.StartAsync().WaitAsync(s_wait);
        var system = host.Services.GetRequiredService<ActorSystem>();

        var io = EpsilonIo.For(system).Settings;
        Assert.Equal(1 << 20, io.Tcp.MaxPendingWriteBytes);
        Assert.Equal(2, EpsilonIo.For(system).EventLoopCount);
        Assert.Equal(EpsilonIoSettings.Default with { EventLoops = 2, Tcp = new EpsilonTcpSettings { MaxPendingWriteBytes = 1 << 20 } }, io);
        Assert.Equal(new HttpServerSettings { MaxRequestHeaderCount = 50, ServerHeader = "epsilon-hosted" }, system.Http().ServerSettings);

        var binding = await system.Http().NewServerAt("127.0.0.1", 0)
            .Bind(_ => ValueTask.FromResult(HttpResponse.Text("hosted")))
            .WaitAsync(s_wait);
        try
        {
            var port = ((IPEndPoint)binding.LocalAddress).Port;
            using var client = new HttpClient { Timeout = s_wait };

            using var fine = await client.SendAsync(Request(port, headers: 10));
            Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
            Assert.Equal("hosted", await fine.Content.ReadAsStringAsync());
            Assert.Contains("epsilon-hosted", fine.Headers.Server.ToString());

            // 60 custom headers plus Host: past 50, within the default 100 the setting replaced.
            using var tooMany = await client.SendAsync(Request(port, headers: 60));
            Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, tooMany.StatusCode);
        }
        finally
        {
            await binding.Terminate(TimeSpan.FromSeconds(1)).WaitAsync(s_wait);
        }

        await host.StopAsync().WaitAsync(s_wait);
        await system.WhenTerminated.WaitAsync(s_wait);
    }

    [Fact]
    public async Task Hosted_system_without_configure_has_the_reference_defaults()
    {
        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("epsilon-hosting-defaults", b => b
                .AddHocon("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING", HoconAddMode.Append)
                .AddEpsilonHttp()))
            .Build();
        await host.StartAsync().WaitAsync(s_wait);
        var system = host.Services.GetRequiredService<ActorSystem>();
        Assert.Equal(new HttpServerSettings(), system.Http().ServerSettings);
        await host.StopAsync().WaitAsync(s_wait);
        await system.WhenTerminated.WaitAsync(s_wait);
    }

    [Fact]
    public async Task Hosted_server_is_bound_at_start_serves_and_is_terminated_at_stop()
    {
        var bound = new TaskCompletionSource<HttpServerBinding>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("epsilon-hosted-server", b => b
                .AddHocon("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING\nakka.log-dead-letters = off", HoconAddMode.Append)
                .AddEpsilonHttp(http => http with { MaxRequestHeaderCount = 20 })
                .StartEpsilonHttpServer("127.0.0.1", 0, (system, _) => _ => ValueTask.FromResult(HttpResponse.Text(system.Name)), bound.SetResult)))
            .Build();
        await host.StartAsync().WaitAsync(s_wait);
        Assert.True(bound.Task.IsCompleted, "the bind is part of the host's start");
        var binding = await bound.Task;
        var port = ((IPEndPoint)binding.LocalAddress).Port;

        using (var client = new HttpClient { Timeout = s_wait })
        {
            using var fine = await client.SendAsync(Request(port, headers: 5));
            Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
            Assert.Equal("epsilon-hosted-server", await fine.Content.ReadAsStringAsync());
            using var tooMany = await client.SendAsync(Request(port, headers: 25));
            Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, tooMany.StatusCode);
        }

        await host.StopAsync().WaitAsync(s_wait);
        await binding.WhenTerminated.WaitAsync(s_wait);
        using var probe = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        var refused = await Assert.ThrowsAsync<System.Net.Sockets.SocketException>(() => probe.ConnectAsync(IPAddress.Loopback, port).WaitAsync(s_wait));
        Assert.Equal(System.Net.Sockets.SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    private static HttpRequestMessage Request(int port, int headers)
    {
        var request = new HttpRequestMessage(System.Net.Http.HttpMethod.Get, $"http://127.0.0.1:{port}/");
        for (var i = 0; i < headers; i++)
            request.Headers.Add($"X-Filler-{i}", "v");
        return request;
    }
}
