using System.Net;
using Akka;
using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.TestKit;
using Epsilon.Actors.Http;
using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server;
using Epsilon.Actors.Http.Server.Middleware;
using Epsilon.Actors.Http.Server.Routing;
using Epsilon.Actors.Tests.TestKit;
using Xunit;
using Xunit.Abstractions;
using AkkaTestKit = Akka.TestKit.Xunit2.TestKit;

namespace Epsilon.Actors.Tests.Http.Server;

/// <summary>
/// Every handler failure is logged once, at warning, with method, path and cause, however the
/// handler was bound (issue 10: a throwing route of <see cref="HttpRoutes"/> was logged nowhere);
/// a malformed request body met by the handler is logged at debug. Real server, real client.
/// </summary>
[Trait("Category", "Loopback")]
public sealed class HttpHandlersLoggingTests : AkkaTestKit, IAsyncLifetime
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);
    private readonly TestProbe _logs;
    private HttpServerBinding? _binding;

    public HttpHandlersLoggingTests(ITestOutputHelper output)
        : base(EpsilonTestConfig.For("epoll", extra: "akka.loglevel = DEBUG"), output: output)
    {
        _logs = CreateTestProbe();
        Sys.EventStream.Subscribe(_logs.Ref, typeof(LogEvent));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_binding is not null) await _binding.Terminate(TimeSpan.Zero).WaitAsync(s_wait);
    }

    private static ValueTask<HttpResponse> Throw(string message) => throw new InvalidOperationException(message);

    public static TheoryData<string> Bindings() => ["handler", "routes", "routes with middleware", "failing middleware", "group", "actor"];

    [Theory]
    [MemberData(nameof(Bindings))]
    public async Task A_handler_failure_is_answered_500_and_logged_once_at_warning_with_method_path_and_cause(string binding)
    {
        var cause = "boom in " + binding;
        var server = Sys.Http().NewServerAt("127.0.0.1", 0);
        _binding = await (binding switch
        {
            "handler" => server.Bind(_ => Throw(cause)),
            "routes" => server.Bind(new HttpRoutes().Get("/fail/{x}", _ => Throw(cause))),
            "routes with middleware" => server.Bind(new HttpRoutes()
                .Use(new RequestIdMiddleware())
                .Use(async (request, next) => (await next(request)).AddHeader("X-Seen", "1"))
                .Get("/fail/{x}", async _ =>
                {
                    await Task.Yield();
                    throw new InvalidOperationException(cause);
                })),
            "failing middleware" => server.Bind(new HttpRoutes()
                .Use((_, _) => Throw(cause))
                .Get("/fail/{x}", _ => HttpResponse.Text("unreachable"))),
            "group" => server.Bind(new HttpRoutes().Group("/fail", g => g.Get("/{x}", _ => Throw(cause)))),
            "actor" => server.Bind(Sys.ActorOf(Props.Create(() => new FailingActor(cause))), TimeSpan.FromSeconds(10)),
            _ => throw new ArgumentOutOfRangeException(nameof(binding)),
        }).WaitAsync(s_wait);

        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)_binding.LocalAddress).Port}") };
        var response = await client.GetAsync("/fail/1?q=2");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);

        var warnings = Collect<Warning>(TimeSpan.FromMilliseconds(500));
        var mine = Assert.Single(warnings, w => w.ToString()!.Contains(cause, StringComparison.Ordinal));
        Assert.Contains("GET /fail/1 failed; answered 500", mine.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_bound_flow_is_logged_once_at_warning_with_the_request()
    {
        var flow = Flow.Create<HttpRequest>().Select<HttpRequest, HttpRequest, HttpResponse, NotUsed>(r =>
            r.Path == "/fail" ? throw new InvalidOperationException("boom in flow") : HttpResponse.Text("ok"));
        _binding = await Sys.Http().NewServerAt("127.0.0.1", 0).Bind(flow).WaitAsync(s_wait);
        using var connection = new RawHttpConnection(((IPEndPoint)_binding.LocalAddress).Port);
        connection.Send("GET /fail HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.True(connection.IsClosedByServer());

        var warnings = Collect<Warning>(TimeSpan.FromMilliseconds(500));
        var mine = Assert.Single(warnings, w => w.ToString()!.Contains("boom in flow", StringComparison.Ordinal));
        Assert.Contains("GET /fail failed in the connection's flow", mine.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_body_met_while_the_handler_reads_it_is_answered_400_and_logged_at_debug_only()
    {
        var materializer = Sys.Materializer();
        _binding = await Sys.Http().NewServerAt("127.0.0.1", 0).Bind(new HttpRoutes().Post("/echo", async request =>
        {
            var body = await request.Entity.ToStrictAsync(1 << 20, s_wait, materializer);
            return HttpResponse.Bytes(body.Data);
        })).WaitAsync(s_wait);
        using var connection = new RawHttpConnection(((IPEndPoint)_binding.LocalAddress).Port);
        connection.Send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
        await Task.Delay(100); // the handler is reading the streamed body when the bad chunk arrives
        connection.Send("5\r\nhello\r\nzz\r\n");
        Assert.Equal(400, connection.ReadResponse().Status);

        var events = Collect<LogEvent>(TimeSpan.FromMilliseconds(500));
        Assert.DoesNotContain(events, e => e is Warning or Error);
        Assert.Contains(events, e => e is Debug && e.ToString()!.Contains("POST /echo: the request body was rejected while the handler read it", StringComparison.Ordinal));
    }

    private List<T> Collect<T>(TimeSpan quiet)
        where T : LogEvent
    {
        var events = new List<T>();
        var deadline = DateTime.UtcNow + quiet;
        while (DateTime.UtcNow < deadline)
        {
            var next = _logs.ReceiveOne(deadline - DateTime.UtcNow);
            if (next is T e) events.Add(e);
        }

        return events;
    }

    private sealed class FailingActor : ReceiveActor
    {
        public FailingActor(string cause) =>
            Receive<HttpRequest>(_ => Sender.Tell(new Status.Failure(new InvalidOperationException(cause))));
    }
}
