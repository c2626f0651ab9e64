using System.Net;
using Akka.Actor;
using Akka.IO;

namespace Epsilon.Actors.Bench.Peers;

/// <summary>
/// The Akka.IO echo server of Akka.NET's documentation: bind, one handler per connection that
/// writes every <c>Received</c> back. Identical code for Akka's manager and Epsilon's.
/// </summary>
internal sealed class AkkaIoEchoServer : ReceiveActor
{
    public AkkaIoEchoServer(IActorRef manager, int port, TaskCompletionSource<EndPoint> bound, Func<IActorRef, string?>? dispatcherFor = null)
    {
        manager.Tell(new Tcp.Bind(Self, new IPEndPoint(IPAddress.Loopback, port), backlog: 4096));
        Receive<Tcp.Bound>(b => bound.TrySetResult(b.LocalAddress));
        Receive<Tcp.CommandFailed>(f => bound.TrySetException(f.Cause.Value ?? new InvalidOperationException(f.CauseString)));
        Receive<Tcp.Connected>(_ =>
        {
            var props = Props.Create(() => new EchoHandler(Sender));
            if (dispatcherFor?.Invoke(Sender) is { } dispatcher) props = props.WithDispatcher(dispatcher);
            var handler = Context.ActorOf(props);
            Sender.Tell(new Tcp.Register(handler));
        });
    }

    private sealed class EchoHandler : ReceiveActor
    {
        public EchoHandler(IActorRef connection)
        {
            Receive<Tcp.Received>(r => connection.Tell(Tcp.Write.Create(r.Data)));
            Receive<Tcp.ConnectionClosed>(_ => Context.Stop(Self));
        }
    }
}
