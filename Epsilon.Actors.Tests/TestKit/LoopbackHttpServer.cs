using System.Net;
using Akka.Actor;
using Akka.Configuration;
using Akka.Streams;
using Epsilon.Actors.Http;
using Epsilon.Actors.Http.Server;
using Epsilon.Actors.Http.Settings;

namespace Epsilon.Actors.Tests.TestKit;

/// <summary>
/// An Epsilon HTTP server on 127.0.0.1 (a free port) in its own actor system, for loopback tests
/// with real clients. Dispose terminates the binding (1 s deadline) and the system.
/// </summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private LoopbackHttpServer(ActorSystem system, HttpServerBinding binding)
    {
        System = system;
        Binding = binding;
    }

    public ActorSystem System { get; }

    public HttpServerBinding Binding { get; }

    public IMaterializer Materializer => System.Materializer();

    public int Port => ((IPEndPoint)Binding.LocalAddress).Port;

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public static Task<LoopbackHttpServer> StartAsync(HttpHandler handler, Func<HttpServerSettings, HttpServerSettings>? settings = null, string backend = "epoll") =>
        StartAsync((builder, _) => builder.Bind(handler), settings, backend);

    public static async Task<LoopbackHttpServer> StartAsync(
        Func<HttpServerBuilder, ActorSystem, Task<HttpServerBinding>> bind,
        Func<HttpServerSettings, HttpServerSettings>? settings = null,
        string backend = "epoll")
    {
        var system = ActorSystem.Create("http-test", ConfigurationFactory.ParseString(EpsilonTestConfig.For(backend)));
        try
        {
            var builder = system.Http().NewServerAt("127.0.0.1", 0);
            if (settings is not null) builder = builder.WithSettings(settings);
            var binding = await bind(builder, system).WaitAsync(TimeSpan.FromSeconds(20));
            return new LoopbackHttpServer(system, binding);
        }
        catch
        {
            await system.Terminate();
            throw;
        }
    }

    public HttpClient CreateClient() => new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        BaseAddress = BaseAddress,
        Timeout = TimeSpan.FromSeconds(60),
    };

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Binding.Terminate(TimeSpan.FromSeconds(1)).WaitAsync(TimeSpan.FromSeconds(20));
        }
        finally
        {
            await System.Terminate().WaitAsync(TimeSpan.FromSeconds(20));
        }
    }
}
