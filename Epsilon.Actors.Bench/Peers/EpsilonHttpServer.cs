using Akka.Actor;
using Epsilon.Actors.Http;
using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server;
using Epsilon.Actors.Http.Server.Routing;

namespace Epsilon.Actors.Bench.Peers;

/// <summary>
/// Epsilon's HTTP/1.1 server as the HTTP scenarios measure it: <c>HttpRoutes</c> with
/// <c>GET /plaintext</c> answering a cached 13-byte <c>Hello, World!</c> (text/plain; charset=utf-8),
/// and <c>Static("/static", …)</c> over the directory in <see cref="HttpBenchContent.StaticRootVariable"/>.
/// Default settings, as an application would bind it; <c>EPSILON_BENCH_HOCON</c> adds configuration.
/// </summary>
internal static class EpsilonHttpServer
{
    private static readonly HttpResponse s_plaintext = HttpResponse.Text(HttpBenchContent.PlaintextBody);

    public static async Task<(ActorSystem System, HttpServerBinding Binding)> StartAsync(int port)
    {
        var system = ActorSystem.Create("bench", $"akka.loglevel = WARNING\nepsilon.io.backend = epoll\n{Environment.GetEnvironmentVariable("EPSILON_BENCH_HOCON")}");
        var routes = new HttpRoutes().Get("/plaintext", _ => s_plaintext);
        if (HttpBenchContent.StaticRoot() is { } root) routes = routes.Static("/static", root);
        var binding = await system.Http().NewServerAt("127.0.0.1", port).Bind(routes);
        return (system, binding);
    }
}
