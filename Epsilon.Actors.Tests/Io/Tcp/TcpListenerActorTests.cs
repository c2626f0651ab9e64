using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Epsilon.Actors.Io;
using Epsilon.Actors.Tests.TestKit;
using Xunit;
using Xunit.Abstractions;
using AkkaTcp = Akka.IO.Tcp;
using AkkaTestKit = Akka.TestKit.Xunit2.TestKit;

namespace Epsilon.Actors.Tests.Io.Tcp;

/// <summary>
/// The listener's backlog and accept loop over real loopback sockets (epoll, Linux): the kernel's
/// own view of the listen queue comes from <c>ss</c> (iproute2), clients are plain sockets.
/// </summary>
[Trait("Category", "Loopback")]
public sealed class TcpListenerActorTests : AkkaTestKit
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    public TcpListenerActorTests(ITestOutputHelper output)
        : base(EpsilonTestConfig.For("epoll", "edge", "epsilon.io.tcp.batch-accept-limit = 4"), output: output)
    {
    }

    private static void RequireLinux() => Skip.IfNot(OperatingSystem.IsLinux(), "the epoll backend and ss need Linux");

    private IPEndPoint Bind(ActorSystem system, IActorRef handler, bool pullMode, int backlog = 100)
    {
        var commander = CreateTestProbe(system);
        system.EpsilonTcp().Tell(new AkkaTcp.Bind(handler, new IPEndPoint(IPAddress.Loopback, 0), backlog, pullMode: pullMode), commander.Ref);
        return (IPEndPoint)commander.ExpectMsg<AkkaTcp.Bound>(s_wait).LocalAddress;
    }

    [SkippableFact]
    public void Bind_with_Akka_default_backlog_listens_with_min_backlog_capped_by_somaxconn()
    {
        RequireLinux();
        var endPoint = Bind(Sys, CreateTestProbe().Ref, pullMode: true); // Akka's Bind default: 100
        var somaxconn = int.Parse(File.ReadAllText("/proc/sys/net/core/somaxconn").Trim(), CultureInfo.InvariantCulture);
        Assert.Equal(Math.Min(4096, somaxconn), ListenQueueLimit(endPoint.Port));
    }

    [SkippableFact]
    public void Min_backlog_zero_keeps_the_Bind_backlog_as_Akka_does()
    {
        RequireLinux();
        var system = ActorSystem.Create("min-backlog-zero", EpsilonTestConfig.For("epoll", "edge", "epsilon.io.tcp.min-backlog = 0"));
        try
        {
            var endPoint = Bind(system, CreateTestProbe(system).Ref, pullMode: true);
            Assert.Equal(100, ListenQueueLimit(endPoint.Port));
        }
        finally
        {
            system.Terminate().Wait(s_wait);
        }
    }

    [SkippableFact]
    public async Task Three_hundred_simultaneous_connects_are_established_while_nothing_is_accepted()
    {
        RequireLinux();
        // Pull mode without ResumeAccepting: every client waits in the kernel's queue. With Akka's
        // backlog of 100 the 102nd SYN would be dropped and retried for as long as nobody accepts.
        var endPoint = Bind(Sys, CreateTestProbe().Ref, pullMode: true);
        var clients = Enumerable.Range(0, 300).Select(_ => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)).ToArray();
        try
        {
            using var timeout = new CancellationTokenSource(s_wait);
            await Task.WhenAll(clients.Select(c => c.ConnectAsync(endPoint, timeout.Token).AsTask()));
            Assert.All(clients, c => Assert.True(c.Connected));
            AwaitAssert(() => Assert.Equal(300, ListenQueueLength(endPoint.Port)), s_wait);
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
        }
    }

    [SkippableFact]
    public async Task Push_mode_accepts_a_burst_of_many_batches_until_the_kernel_queue_is_empty()
    {
        RequireLinux();
        var handler = CreateTestProbe();
        var endPoint = Bind(Sys, handler.Ref, pullMode: false);
        var clients = Enumerable.Range(0, 400).Select(_ => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)).ToArray();
        try
        {
            using var timeout = new CancellationTokenSource(s_wait);
            await Task.WhenAll(clients.Select(c => c.ConnectAsync(endPoint, timeout.Token).AsTask()));
            // 100 batches of batch-accept-limit = 4, each continued through the loop's task queue.
            var ports = handler.ReceiveN(400, s_wait).Cast<AkkaTcp.Connected>().Select(c => ((IPEndPoint)c.RemoteAddress).Port).ToHashSet();
            Assert.Equal(clients.Select(c => ((IPEndPoint)c.LocalEndPoint!).Port).ToHashSet(), ports);
            Assert.Equal(0, ListenQueueLength(endPoint.Port));
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
        }
    }

    [SkippableFact]
    public async Task Pull_mode_accepts_exactly_the_ResumeAccepting_budget_across_batches()
    {
        RequireLinux();
        var handler = CreateTestProbe();
        var commander = CreateTestProbe();
        Sys.EpsilonTcp().Tell(new AkkaTcp.Bind(handler.Ref, new IPEndPoint(IPAddress.Loopback, 0), pullMode: true), commander.Ref);
        var endPoint = (IPEndPoint)commander.ExpectMsg<AkkaTcp.Bound>(s_wait).LocalAddress;
        var listener = commander.LastSender;
        var clients = Enumerable.Range(0, 30).Select(_ => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)).ToArray();
        try
        {
            using var timeout = new CancellationTokenSource(s_wait);
            await Task.WhenAll(clients.Select(c => c.ConnectAsync(endPoint, timeout.Token).AsTask()));
            listener.Tell(new AkkaTcp.ResumeAccepting(11)); // three batches of 4, the last cut short
            handler.ReceiveN(11, s_wait);
            handler.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
            Assert.Equal(19, ListenQueueLength(endPoint.Port));
            listener.Tell(new AkkaTcp.ResumeAccepting(19));
            handler.ReceiveN(19, s_wait);
            handler.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
        }
    }

    // ss -ltn: for a listening socket, Recv-Q is the accept queue's length and Send-Q its limit.
    private static int ListenQueueLimit(int port) => ListenQueue(port).Limit;

    private static int ListenQueueLength(int port) => ListenQueue(port).Length;

    private static (int Length, int Limit) ListenQueue(int port)
    {
        var info = new ProcessStartInfo("ss", ["-Hltn", $"sport = :{port}"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var ss = Process.Start(info) ?? throw new InvalidOperationException("ss (iproute2) could not be started");
        var output = ss.StandardOutput.ReadToEnd();
        ss.WaitForExit();
        Assert.True(ss.ExitCode == 0, $"ss failed: {ss.StandardError.ReadToEnd()}");
        var fields = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Single().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // State Recv-Q Send-Q Local Peer
        return (int.Parse(fields[1], CultureInfo.InvariantCulture), int.Parse(fields[2], CultureInfo.InvariantCulture));
    }
}
