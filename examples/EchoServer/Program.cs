// An Akka.IO echo server on Epsilon's event loops. The actors below use only Akka.IO's own
// messages; swapping Context.System.Tcp() for Context.System.EpsilonTcp() is the only change.
//
//   dotnet run --project examples/EchoServer -- --port 7000
//   printf 'hello\n' | nc -q1 127.0.0.1 7000
using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.IO;
using Epsilon.Actors.Io;

var portOption = new Option<ushort>("--port") { Description = "TCP port to listen on; 0 picks a free one", DefaultValueFactory = _ => 7000 };
var hostOption = new Option<string>("--host") { Description = "IP address to listen on", DefaultValueFactory = _ => "127.0.0.1" };
var parsed = new RootCommand("EchoServer: an Akka.IO echo server on Epsilon's event loops.") { portOption, hostOption }.Parse(args);
if (parsed.Errors.Count > 0)
{
    Console.Error.WriteLine($"{parsed.Errors[0].Message} (see --help)");
    return 2;
}

if (parsed.Action is not null) return parsed.Invoke(); // --help, --version
if (!IPAddress.TryParse(parsed.GetValue(hostOption), out var address))
{
    Console.Error.WriteLine($"--host {parsed.GetValue(hostOption)}: not an IP address (see --help)");
    return 2;
}

var endPoint = new IPEndPoint(address, parsed.GetValue(portOption));

var system = ActorSystem.Create("echo", "akka.loglevel = INFO");
// Signals are taken from here on, so a Ctrl-C right after the listening line is never missed.
var stop = new TaskCompletionSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
// Continuations run off the actor's thread: code after `await ready.Task` must never run on
// (and then wait for) the actor that completed it.
var ready = new TaskCompletionSource<EndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
system.ActorOf(Props.Create(() => new EchoServer(endPoint, ready)), "server");
try
{
    var bound = await ready.Task;
    var io = EpsilonIo.For(system);
    Console.WriteLine($"Echo server listening on {bound} (backend {io.BackendName}, {io.EventLoopCount} event loops). Ctrl-C to stop.");
}
catch (Exception e)
{
    Console.Error.WriteLine($"cannot listen on {endPoint}: {e.Message}");
    await system.Terminate();
    return 1;
}

await stop.Task;
Console.WriteLine("Stopping.");
await system.Terminate();
return 0;

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
