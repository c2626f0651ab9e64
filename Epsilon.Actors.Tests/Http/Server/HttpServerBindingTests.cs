using System.Net;
using System.Net.Sockets;
using Akka;
using Akka.Actor;
using Akka.IO;
using Akka.Streams.Dsl;
using Epsilon.Actors.Http;
using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server.Routing;
using Epsilon.Actors.Io.Streams;
using Epsilon.Actors.Tests.TestKit;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Server;

/// <summary>Binding kinds (handler, flow, actor, own transport), connection limits, unbind and graceful termination over loopback.</summary>
[Trait("Category", "Loopback")]
public sealed class HttpServerBindingTests
{
    [Fact]
    public async Task Terminate_finishes_the_request_in_flight_closes_idle_connections_and_refuses_new_ones()
    {
        var slowStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var routes = new HttpRoutes()
            .Get("/slow", async _ =>
            {
                slowStarted.TrySetResult();
                await Task.Delay(1000);
                return HttpResponse.Text("slow done");
            })
            .Get("/hello", _ => HttpResponse.Text("Hello, World!"));
        await using var server = await LoopbackHttpServer.StartAsync(routes);

        using var idle = new RawHttpConnection(server.Port);
        idle.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(200, idle.ReadResponse().Status);

        using var busy = new RawHttpConnection(server.Port);
        busy.Send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
        await slowStarted.Task.WaitAsync(TimeSpan.FromSeconds(20));

        var termination = server.Binding.Terminate(TimeSpan.FromSeconds(20));
        Assert.True(idle.IsClosedByServer(), "the idle keep-alive connection was not closed");

        var slow = busy.ReadResponse();
        Assert.Equal("slow done", slow.BodyText);
        Assert.Equal("close", slow.Header("connection"));
        Assert.True(busy.IsClosedByServer());

        await termination.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(server.Binding.WhenTerminated.IsCompleted);
        using var late = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Assert.ThrowsAny<SocketException>(() => late.Connect(new IPEndPoint(IPAddress.Loopback, server.Port)));
    }

    [Fact]
    public async Task Terminate_cuts_what_is_left_at_the_hard_deadline()
    {
        var routes = new HttpRoutes().Get("/never", async _ =>
        {
            await Task.Delay(Timeout.Infinite);
            return HttpResponse.Text("unreachable");
        });
        await using var server = await LoopbackHttpServer.StartAsync(routes);
        using var stuck = new RawHttpConnection(server.Port);
        stuck.Send("GET /never HTTP/1.1\r\nHost: x\r\n\r\n");
        await WaitUntil(() => server.Binding.ConnectionCount == 1);
        await server.Binding.Terminate(TimeSpan.FromMilliseconds(300)).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(stuck.IsClosedByServer());
        Assert.Equal(0, server.Binding.ConnectionCount);
    }

    [Fact]
    public async Task Unbind_stops_accepting_and_keeps_serving_open_connections()
    {
        await using var server = await LoopbackHttpServer.StartAsync(new HttpRoutes().Get("/", _ => HttpResponse.Text("still here")));
        using var open = new RawHttpConnection(server.Port);
        open.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("still here", open.ReadResponse().BodyText);
        await server.Binding.Unbind().WaitAsync(TimeSpan.FromSeconds(20));
        open.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("still here", open.ReadResponse().BodyText);
        using var late = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Assert.ThrowsAny<SocketException>(() => late.Connect(new IPEndPoint(IPAddress.Loopback, server.Port)));
    }

    [Fact]
    public async Task Closes_connections_over_max_concurrent_connections()
    {
        await using var server = await LoopbackHttpServer.StartAsync(
            new HttpRoutes().Get("/", _ => HttpResponse.Text("in")), s => s with { MaxConcurrentConnections = 2 });
        using var first = new RawHttpConnection(server.Port);
        using var second = new RawHttpConnection(server.Port);
        foreach (var c in new[] { first, second })
        {
            c.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            Assert.Equal("in", c.ReadResponse().BodyText);
        }

        using var third = new RawHttpConnection(server.Port);
        Assert.True(third.IsClosedByServer(), "the third connection was served");

        first.Dispose();
        await WaitUntil(() => server.Binding.ConnectionCount == 1);
        using var fourth = new RawHttpConnection(server.Port);
        fourth.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("in", fourth.ReadResponse().BodyText);
    }

    [Fact]
    public async Task Binds_a_flow_materialized_once_per_connection()
    {
        var materializations = 0;
        var flow = Flow.Create<HttpRequest>()
            .MapMaterializedValue(_ =>
            {
                Interlocked.Increment(ref materializations);
                return NotUsed.Instance;
            })
            .Select(req => HttpResponse.Text($"flow saw {req.Path}"));
        await using var server = await LoopbackHttpServer.StartAsync((builder, _) => builder.Bind(flow));
        using var client = server.CreateClient();
        Assert.Equal("flow saw /a", await client.GetStringAsync("/a"));
        Assert.Equal("flow saw /b", await client.GetStringAsync("/b"));
        Assert.Equal(1, Volatile.Read(ref materializations));
    }

    [Fact]
    public async Task A_failing_flow_fails_its_connection_only()
    {
        var flow = Flow.Create<HttpRequest>().Select(req =>
            req.Path == "/fail" ? throw new InvalidOperationException("flow bug") : HttpResponse.Text("ok"));
        await using var server = await LoopbackHttpServer.StartAsync((builder, _) => builder.Bind(flow));
        using var good = new RawHttpConnection(server.Port);
        good.Send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("ok", good.ReadResponse().BodyText);
        using var bad = new RawHttpConnection(server.Port);
        bad.Send("GET /fail HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.True(bad.IsClosedByServer());
        good.Send("GET /y HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("ok", good.ReadResponse().BodyText);
    }

    [Fact]
    public async Task Binds_an_actor_asked_per_request()
    {
        await using var server = await LoopbackHttpServer.StartAsync((builder, system) =>
            builder.Bind(system.ActorOf(Props.Create(() => new PathEchoActor())), TimeSpan.FromSeconds(5)));
        using var client = server.CreateClient();
        Assert.Equal("actor saw /x", await client.GetStringAsync("/x"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/silent")).StatusCode);
    }

    [Fact]
    public async Task ConnectionFlow_serves_a_transport_of_ones_own()
    {
        await using var server = await LoopbackHttpServer.StartAsync(new HttpRoutes().Get("/", _ => HttpResponse.Text("ignored")));
        var flow = server.System.Http().NewServerAt("127.0.0.1", 0).ConnectionFlow(new HttpRoutes().Get("/own", _ => HttpResponse.Text("own transport")));
        var binding = await server.System.EpsilonTcpStream().BindAndHandle(flow, server.Materializer, "127.0.0.1", 0, halfClose: true);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://{binding.LocalAddress}") };
            Assert.Equal("own transport", await client.GetStringAsync("/own"));
        }
        finally
        {
            await binding.Unbind();
        }
    }

    [Fact]
    public async Task A_transport_layer_sees_every_byte_both_ways()
    {
        long inbound = 0, outbound = 0;
        var counting = BidiFlow.FromFlows(
            Flow.Create<ByteString>().Select(b =>
            {
                Interlocked.Add(ref outbound, b.Count);
                return b;
            }),
            Flow.Create<ByteString>().Select(b =>
            {
                Interlocked.Add(ref inbound, b.Count);
                return b;
            }));
        await using var server = await LoopbackHttpServer.StartAsync((builder, _) =>
            builder.WithTransportLayer(counting).Bind(new HttpRoutes().Get("/", _ => HttpResponse.Text("layered"))));
        using var connection = new RawHttpConnection(server.Port);
        const string request = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
        connection.Send(request);
        Assert.Equal("layered", connection.ReadResponse().BodyText);
        Assert.Equal(request.Length, Interlocked.Read(ref inbound));
        Assert.True(Interlocked.Read(ref outbound) > "layered".Length);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 400 && !condition(); i++) await Task.Delay(50);
        Assert.True(condition());
    }

    private sealed class PathEchoActor : ReceiveActor
    {
        public PathEchoActor() => Receive<HttpRequest>(req =>
        {
            if (req.Path != "/silent") Sender.Tell(HttpResponse.Text($"actor saw {req.Path}"));
        });
    }
}
