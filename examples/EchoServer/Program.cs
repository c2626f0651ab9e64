// An Akka.IO echo server on Epsilon's event loops. The actors below use only Akka.IO's own
// messages; swapping Context.System.Tcp() for Context.System.EpsilonTcp() is the only change.
//
//   dotnet run --project examples/EchoServer -- --port 7000
//   printf 'hello\n' | nc -q1 127.0.0.1 7000
using System.Net;
using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.IO;
using Epsilon.Actors.Io;

var port = 7000;
var host = IPAddress.Loopback;
for (var i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--port") port = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
    if (args[i] == "--host") host = IPAddress.Parse(args[i + 1]);
}

using var system = ActorSystem.Create("echo", "akka.loglevel = INFO");
var ready = new TaskCompletionSource<EndPoint>();
system.ActorOf(Props.Create(() => new EchoServer(new IPEndPoint(host, port), ready)), "server");
var endPoint = await ready.Task;
var io = EpsilonIo.For(system);
Console.WriteLine($"Echo server listening on {endPoint} (backend {io.BackendName}, {io.EventLoopCount} event loops). Ctrl-C to stop.");

var stop = new TaskCompletionSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
await stop.Task;
Console.WriteLine("Stopping.");
await system.Terminate();

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.TrySetResult();
}

/// <summary>Binds, and starts one <see cref="EchoConnection"/> per accepted connection.</summary>
internal sealed class EchoServer : ReceiveActor
{
    public EchoServer(EndPoint endPoint, TaskCompletionSource<EndPoint> ready)
    {
        Context.System.EpsilonTcp().Tell(new Tcp.Bind(Self, endPoint));
        Receive<Tcp.Bound>(bound => ready.TrySetResult(bound.LocalAddress));
        Receive<Tcp.CommandFailed>(failed =>
        {
            ready.TrySetException(failed.Cause.Value ?? new InvalidOperationException(failed.CauseString));
            Context.Stop(Self);
        });
        Receive<Tcp.Connected>(_ =>
        {
            // Keep the connection open when the peer half-closes (as `nc` does right after its
            // input), so the echo of what it sent is still written before we close.
            var handler = Context.ActorOf(Props.Create(() => new EchoConnection(Sender)));
            Sender.Tell(new Tcp.Register(handler, keepOpenOnPeerClosed: true));
        });
    }
}

/// <summary>Writes every received chunk back; closes (after those writes) when the peer does.</summary>
internal sealed class EchoConnection : ReceiveActor
{
    public EchoConnection(IActorRef connection)
    {
        Receive<Tcp.Received>(received => connection.Tell(Tcp.Write.Create(received.Data)));
        Receive<Tcp.PeerClosed>(_ => connection.Tell(Tcp.Close.Instance));
        Receive<Tcp.ConnectionClosed>(_ => Context.Stop(Self));
    }
}
