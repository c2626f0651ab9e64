using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Akka.Actor;
using Akka.Configuration;
using Epsilon.Actors.Http;
using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server;
using Epsilon.Actors.Tests.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace Epsilon.Actors.Tests.Http.Server;

/// <summary>
/// Where a connection's stages and its handler run (<c>epsilon.http.server.handler-dispatcher</c>),
/// by thread identity, and that a handler that blocks never stalls a loop unless the user put it
/// there. One event loop in each system, so every connection shares it. The blocking handlers get
/// a dispatcher of 72 dedicated threads (<see cref="DedicatedThreadsExecutor"/>), so no thread pool
/// is the limit. Real loopback sockets.
/// </summary>
[Trait("Category", "Loopback")]
public sealed class HandlerDispatchTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Sleepers = 64;

    private static readonly string s_config = EpsilonTestConfig.For("auto", extra: $$"""
        epsilon.io.event-loops = 1
        blocking-handlers {
          type = Dispatcher
          executor = "Epsilon.Actors.Tests.TestKit.DedicatedThreadsExecutor, Epsilon.Actors.Tests"
          throughput = 1
          dedicated-threads.thread-count = {{Sleepers + 8}}
        }
        """);

    private ActorSystem _system = null!;

    public Task InitializeAsync()
    {
        _system = ActorSystem.Create("handler-dispatch", ConfigurationFactory.ParseString(s_config));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _system.Terminate();

    private async Task<HttpServerBinding> BindAsync(string dispatcher, HttpHandler handler) =>
        await _system.Http().NewServerAt("127.0.0.1", 0)
            .WithSettings(s => s with { HandlerDispatcher = dispatcher })
            .Bind(handler)
            .WaitAsync(TimeSpan.FromSeconds(20));

    private static int PortOf(HttpServerBinding binding) => ((IPEndPoint)binding.LocalAddress).Port;

    private static string Get(RawHttpConnection connection, string path)
    {
        connection.Send($"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n");
        var response = connection.ReadResponse();
        Assert.Equal(200, response.Status);
        return System.Text.Encoding.UTF8.GetString(response.Body);
    }

    private static ValueTask<HttpResponse> ThreadName(HttpRequest _) => new(HttpResponse.Text(Thread.CurrentThread.Name ?? "(unnamed)"));

    [Fact]
    public async Task By_default_the_handler_runs_on_Akkas_default_dispatcher_not_on_the_loop()
    {
        var binding = await BindAsync("", ThreadName);
        using var connection = new RawHttpConnection(PortOf(binding));
        var thread = Get(connection, "/");
        Assert.DoesNotContain("epsilon-io-", thread);
    }

    [Fact]
    public async Task With_loop_the_handler_runs_inline_on_the_connections_loop_thread_so_the_stages_are_there_too()
    {
        // The handler is called inline by the HTTP stage, so its thread is the stage's: the
        // connection's loop, the same thread that runs the TCP connection actor.
        var binding = await BindAsync("loop", ThreadName);
        using var connection = new RawHttpConnection(PortOf(binding));
        Assert.StartsWith("epsilon-io-", Get(connection, "/"));
        Assert.StartsWith("epsilon-io-", Get(connection, "/again"));
    }

    [Fact]
    public async Task A_dispatcher_id_runs_the_handler_on_that_dispatcher()
    {
        var binding = await BindAsync("blocking-handlers", ThreadName);
        using var connection = new RawHttpConnection(PortOf(binding));
        Assert.StartsWith("blocking-handlers", Get(connection, "/"));
    }

    [Fact]
    public async Task An_unknown_dispatcher_id_fails_the_bind_naming_the_setting()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => BindAsync("no-such-dispatcher", ThreadName));
        Assert.Contains("epsilon.http.server.handler-dispatcher", error.Message);
        Assert.Contains("no-such-dispatcher", error.Message);
    }

    [Fact]
    public async Task Handlers_sleeping_on_64_connections_on_their_own_dispatcher_do_not_delay_another_connection_on_the_same_loop()
    {
        var sleeping = 0;
        var binding = await BindAsync("blocking-handlers", request =>
        {
            if (request.Path == "/sleep")
            {
                Interlocked.Increment(ref sleeping);
                Thread.Sleep(2000);
            }

            return new ValueTask<HttpResponse>(HttpResponse.Text("ok"));
        });
        var port = PortOf(binding);
        using var fast = new RawHttpConnection(port);
        Get(fast, "/warm-up");

        var sleepers = Enumerable.Range(0, Sleepers).Select(_ => new RawHttpConnection(port)).ToList();
        try
        {
            // Every connection accepted and materialized (and the path compiled) first, so what is
            // measured is the loop while the handlers sleep, not a cold start.
            foreach (var s in sleepers) Get(s, "/warm-up");
            var started = Stopwatch.StartNew();
            foreach (var s in sleepers) s.Send("GET /sleep HTTP/1.1\r\nHost: x\r\n\r\n");
            while (Volatile.Read(ref sleeping) < Sleepers && started.Elapsed < TimeSpan.FromSeconds(1.5)) Thread.Sleep(1);
            output.WriteLine($"{Volatile.Read(ref sleeping)} handlers asleep after {started.Elapsed.TotalMilliseconds:F0} ms");
            Assert.Equal(Sleepers, Volatile.Read(ref sleeping));

            // All 64 handlers are asleep now; the loop must still serve the other connection.
            var times = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                var one = Stopwatch.StartNew();
                Assert.Equal("ok", Get(fast, "/fast"));
                times.Add(one.Elapsed.TotalMilliseconds);
            }

            var stillSleeping = started.Elapsed < TimeSpan.FromSeconds(2);
            output.WriteLine($"fast requests while 64 handlers sleep: {string.Join(", ", times.Select(t => t.ToString("F2")))} ms (all served before the sleepers woke: {stillSleeping})");
            Assert.True(stillSleeping, "the fast requests were not all served while the 64 handlers slept");
            times.Sort();
            Assert.True(times[times.Count / 2] <= 10, $"median {times[times.Count / 2]:F2} ms > 10 ms");
            foreach (var s in sleepers) Assert.Equal(200, s.ReadResponse().Status);
        }
        finally
        {
            foreach (var s in sleepers) s.Dispose();
        }
    }

    [Fact]
    public async Task A_blocking_handler_on_the_default_dispatcher_does_not_stall_the_loop()
    {
        var entered = new SemaphoreSlim(0);
        var binding = await BindAsync("", request =>
        {
            if (request.Path == "/sleep")
            {
                entered.Release();
                Thread.Sleep(2000);
            }

            return new ValueTask<HttpResponse>(HttpResponse.Text("ok"));
        });
        var port = PortOf(binding);
        using var fast = new RawHttpConnection(port);
        Get(fast, "/warm-up");
        using var sleeper = new RawHttpConnection(port);
        sleeper.Send("GET /sleep HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.True(await entered.WaitAsync(TimeSpan.FromSeconds(5)));
        // The client blocks on its own thread, not one of the pool's that the default dispatcher uses.
        var took = Stopwatch.StartNew();
        await Task.Factory.StartNew(() => Get(fast, "/fast"), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        output.WriteLine($"fast request while a default-dispatcher handler sleeps: {took.Elapsed.TotalMilliseconds:F2} ms");
        Assert.True(took.Elapsed < TimeSpan.FromSeconds(1), $"took {took.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(200, sleeper.ReadResponse().Status);
    }

    [Fact]
    public async Task A_blocking_handler_with_loop_stalls_the_loops_other_connections_which_is_why_it_is_opt_in()
    {
        var entered = new SemaphoreSlim(0);
        var binding = await BindAsync("loop", request =>
        {
            if (request.Path == "/sleep")
            {
                entered.Release();
                Thread.Sleep(600);
            }

            return new ValueTask<HttpResponse>(HttpResponse.Text("ok"));
        });
        var port = PortOf(binding);
        using var fast = new RawHttpConnection(port);
        Get(fast, "/warm-up");
        using var sleeper = new RawHttpConnection(port);
        sleeper.Send("GET /sleep HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.True(await entered.WaitAsync(TimeSpan.FromSeconds(5)));
        var took = Stopwatch.StartNew();
        Get(fast, "/fast");
        output.WriteLine($"fast request while a loop handler sleeps: {took.Elapsed.TotalMilliseconds:F2} ms");
        Assert.True(took.Elapsed > TimeSpan.FromMilliseconds(300), $"took only {took.Elapsed.TotalMilliseconds:F0} ms: the loop was not shared");
        Assert.Equal(200, sleeper.ReadResponse().Status);
    }

    [Fact]
    public async Task An_actor_handler_runs_on_its_own_dispatcher_whatever_the_setting()
    {
        var actor = _system.ActorOf(Props.Create(() => new ThreadNameActor()).WithDispatcher("blocking-handlers"));
        var binding = await _system.Http().NewServerAt("127.0.0.1", 0)
            .WithSettings(s => s with { HandlerDispatcher = "loop" })
            .Bind(actor, TimeSpan.FromSeconds(10))
            .WaitAsync(TimeSpan.FromSeconds(20));
        using var connection = new RawHttpConnection(PortOf(binding));
        Assert.StartsWith("blocking-handlers", Get(connection, "/"));
    }

    private sealed class ThreadNameActor : ReceiveActor
    {
        public ThreadNameActor() => Receive<HttpRequest>(_ => Sender.Tell(HttpResponse.Text(Thread.CurrentThread.Name ?? "(unnamed)")));
    }
}
