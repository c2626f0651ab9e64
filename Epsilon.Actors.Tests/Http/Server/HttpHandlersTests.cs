using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server;
using Xunit;
using HttpMethod = Epsilon.Actors.Http.Model.HttpMethod;

namespace Epsilon.Actors.Tests.Http.Server;

[Trait("Category", "Unit")]
public sealed class HttpHandlersTests : Akka.TestKit.Xunit2.TestKit
{
    private readonly IMaterializer _materializer;

    public HttpHandlersTests()
        : base("akka.loglevel = WARNING") => _materializer = Sys.Materializer();

    private static HttpRequest Request(string path) => new(HttpMethod.Get, path);

    private static string Text(HttpResponse response) => ((HttpEntity.Strict)response.Entity).ToText();

    private sealed class PathActor : ReceiveActor
    {
        public PathActor()
        {
            Receive<HttpRequest>(req => req.Path == "/fail", _ => Sender.Tell(new Status.Failure(new InvalidOperationException("no"))));
            Receive<HttpRequest>(req => req.Path == "/silent", _ => { });
            Receive<HttpRequest>(req => req.Path == "/wrong", _ => Sender.Tell("not a response"));
            Receive<HttpRequest>(req => Sender.Tell(HttpResponse.Text("actor " + req.Path)));
        }
    }

    [Fact]
    public async Task An_actor_answers_requests_and_failures_become_500_or_503()
    {
        var actor = Sys.ActorOf(Props.Create(() => new PathActor()));
        var handler = HttpHandlers.Guard(HttpHandlers.FromActor(actor, TimeSpan.FromMilliseconds(300)));
        Assert.Equal("actor /hello", Text(await handler(Request("/hello"))));
        Assert.Equal(500, (await handler(Request("/fail"))).StatusCode.Code);
        Assert.Equal(503, (await handler(Request("/silent"))).StatusCode.Code);
        Assert.Equal(500, (await handler(Request("/wrong"))).StatusCode.Code);
        Assert.Equal("actor /again", Text(await handler(Request("/again"))));
    }

    [Fact]
    public async Task A_flow_can_stand_behind_a_handler()
    {
        var flow = Flow.Create<HttpRequest>().Select(req => HttpResponse.Text("flow " + req.Path));
        var handler = HttpHandlers.FromFlow(flow, _materializer);
        Assert.Equal("flow /a", Text(await handler(Request("/a"))));
        Assert.Equal("flow /b", Text(await handler(Request("/b"))));
    }

    [Fact]
    public async Task A_handler_as_a_flow_keeps_request_order_and_survives_failures()
    {
        HttpHandler handler = async req =>
        {
            if (req.Path == "/boom") throw new InvalidOperationException("boom");
            await Task.Delay(req.Path == "/slow" ? 100 : 0);
            return HttpResponse.Text(req.Path);
        };
        var responses = await Source.From(new[] { "/slow", "/boom", "/fast" }.Select(Request))
            .Via(HttpHandlers.ToFlow(handler, parallelism: 4))
            .RunWith(Sink.Seq<HttpResponse>(), _materializer);
        Assert.Equal("/slow", Text(responses[0]));
        Assert.Equal(500, responses[1].StatusCode.Code);
        Assert.Equal("/fast", Text(responses[2]));
    }

    [Fact]
    public async Task Guard_turns_throws_nulls_and_faults_into_status_responses()
    {
        Assert.Equal(500, (await HttpHandlers.Guard(_ => throw new InvalidOperationException())(Request("/"))).StatusCode.Code);
        Assert.Equal(500, (await HttpHandlers.Guard(_ => new ValueTask<HttpResponse>((HttpResponse)null!))(Request("/"))).StatusCode.Code);
        Assert.Equal(503, (await HttpHandlers.Guard(_ => ValueTask.FromException<HttpResponse>(new TimeoutException()))(Request("/"))).StatusCode.Code);
        Assert.Equal(413, (await HttpHandlers.Guard(_ => throw new EntityTooLargeException(10))(Request("/"))).StatusCode.Code);
    }

    [Fact]
    public async Task Guard_with_a_log_allocates_nothing_per_request_once_its_log_is_ambient()
    {
        // The ambient log (an AsyncLocal) is set only when it changes, so a server's guard costs
        // no execution-context copy per request, and the routes inside it still find the log.
        var cached = HttpResponse.Text("cached");
        var request = Request("/");
        var inner = HttpHandlers.Guard(_ => new ValueTask<HttpResponse>(cached));
        var guarded = HttpHandlers.Guard(r => inner(r), Sys.Log);
        for (var i = 0; i < 10; i++) await guarded(request);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            var pending = guarded(request);
            Assert.True(pending.IsCompletedSuccessfully);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public async Task Guard_passes_a_synchronous_response_through_without_copying()
    {
        var cached = HttpResponse.Text("cached");
        Assert.Same(cached, await HttpHandlers.Guard(_ => new ValueTask<HttpResponse>(cached))(Request("/")));
    }
}
