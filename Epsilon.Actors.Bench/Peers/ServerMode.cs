using System.Runtime.InteropServices;
using Akka.Actor;
using Epsilon.Actors.Io;

namespace Epsilon.Actors.Bench.Peers;

/// <summary>
/// <c>server &lt;peer&gt; --port P</c>: runs one echo server in this process, prints
/// <c>READY &lt;port&gt;</c> once it accepts connections, and serves until its standard input
/// closes (the orchestrator went away) or SIGTERM/SIGINT arrives.
/// </summary>
internal static class ServerMode
{
    public static async Task<int> RunAsync(PeerKind kind, int port)
    {
        var stop = new TaskCompletionSource();
        Func<int>? registered = null;
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
        using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
        // A dedicated thread, not the thread pool: a blocked pool worker in a process pinned to one
        // CPU (where the pool starts with one worker) would delay every peer until the pool grows.
        new Thread(() =>
        {
            // Commands from the orchestrator; EOF means it died or is done with us.
            while (Console.In.ReadLine() is { } line)
            {
                if (line == "HEAP")
                {
                    // Live managed bytes after a full, compacting collection (and, for Epsilon, the
                    // sockets its loops hold, so a caller can tell that all connections are in).
                    var sockets = registered?.Invoke() ?? -1;
                    Console.WriteLine($"HEAP {GC.GetTotalMemory(forceFullCollection: true)} {sockets}");
                    Console.Out.Flush();
                }
            }

            stop.TrySetResult();
        })
        { IsBackground = true, Name = "orchestrator-commands" }.Start();

        Func<Task> shutdown;
        switch (kind)
        {
            case PeerKind.EpsilonEpoll or PeerKind.EpsilonColocated or PeerKind.EpsilonPortable or PeerKind.AkkaIo:
            {
                var backend = kind == PeerKind.EpsilonPortable ? "portable" : "epoll";
                // The same write-queue semantics as the Akka.IO peer running the same actor: Akka.NET's
                // default queue is unlimited, and the documented echo writes without acks.
                var system = ActorSystem.Create("bench", $"akka.loglevel = WARNING\nepsilon.io.backend = {backend}\nepsilon.io.tcp.max-pending-write-bytes = infinite\n{Environment.GetEnvironmentVariable("EPSILON_BENCH_HOCON")}");
                var manager = kind == PeerKind.AkkaIo ? Akka.IO.TcpExtensions.Tcp(system) : system.EpsilonTcp();
                var bound = new TaskCompletionSource<System.Net.EndPoint>();
                Func<IActorRef, string?>? colocate = kind == PeerKind.EpsilonColocated ? EpsilonIo.For(system).DispatcherFor : null;
                if (kind != PeerKind.AkkaIo) registered = () => EpsilonIo.For(system).RegisteredSocketsPerLoop.Sum();
                system.ActorOf(Props.Create(() => new AkkaIoEchoServer(manager, port, bound, colocate)), "echo");
                await bound.Task;
                shutdown = () => system.Terminate();
                break;
            }

            case PeerKind.EpsilonUdp or PeerKind.EpsilonUdpPortable or PeerKind.AkkaIoUdp:
            {
                var backend = kind == PeerKind.EpsilonUdpPortable ? "portable" : "epoll";
                var system = ActorSystem.Create("bench", $"akka.loglevel = WARNING\nepsilon.io.backend = {backend}\n{Environment.GetEnvironmentVariable("EPSILON_BENCH_HOCON")}");
                var manager = kind == PeerKind.AkkaIoUdp ? Akka.IO.UdpExtensions.Udp(system) : system.EpsilonUdp();
                var bound = new TaskCompletionSource<System.Net.EndPoint>();
                system.ActorOf(Props.Create(() => new UdpEchoServer(manager, port, bound)), "echo");
                await bound.Task;
                shutdown = () => system.Terminate();
                break;
            }

            case PeerKind.RawUdp:
            {
                var socket = UdpEchoServer.StartRaw(port);
                shutdown = () =>
                {
                    socket.Dispose();
                    return Task.CompletedTask;
                };
                break;
            }

            case PeerKind.AkkaStreams:
            {
                var system = ActorSystem.Create("bench", "akka.loglevel = WARNING");
                await AkkaStreamsEchoServer.StartAsync(system, port);
                shutdown = () => system.Terminate();
                break;
            }

            case PeerKind.EpsilonStreams or PeerKind.EpsilonStreamsLoop:
            {
                var system = ActorSystem.Create("bench", $"akka.loglevel = WARNING\nepsilon.io.backend = epoll\n{Environment.GetEnvironmentVariable("EPSILON_BENCH_HOCON")}");
                registered = () => EpsilonIo.For(system).RegisteredSocketsPerLoop.Sum();
                await EpsilonStreamsEchoServer.StartAsync(system, port, onLoop: kind == PeerKind.EpsilonStreamsLoop);
                shutdown = () => system.Terminate();
                break;
            }

            case PeerKind.RawSocket:
            {
                var listener = RawSocketEchoServer.Start(port);
                shutdown = () =>
                {
                    listener.Dispose();
                    return Task.CompletedTask;
                };
                break;
            }

            case PeerKind.EpsilonHttp:
            {
                var (system, binding) = await EpsilonHttpServer.StartAsync(port);
                registered = () => EpsilonIo.For(system).RegisteredSocketsPerLoop.Sum();
                shutdown = async () =>
                {
                    await binding.Terminate(TimeSpan.FromSeconds(2));
                    await system.Terminate();
                };
                break;
            }

            case PeerKind.KestrelHttp:
            {
                var app = await KestrelHttpServer.StartAsync(port);
                shutdown = () => app.StopAsync();
                break;
            }

            case PeerKind.Kestrel:
            {
                var app = await KestrelEchoServer.StartAsync(port);
                shutdown = () => app.StopAsync();
                break;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }

        Console.WriteLine($"READY {port}");
        await stop.Task;
        await shutdown().WaitAsync(TimeSpan.FromSeconds(5));
        return 0;
    }
}
