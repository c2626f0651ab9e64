using Akka.Actor;
using Akka.IO;

namespace Epsilon.Actors.Tests.TestKit;

/// <summary>
/// An Akka.IO echo handler with ack-based back-pressure, as Akka.IO's documentation teaches:
/// one write in flight at a time, reading suspended while it is, later data buffered.
/// It uses only Akka.IO's messages, so it runs over Akka's manager and Epsilon's alike.
/// </summary>
public sealed class AckedEchoActor : ReceiveActor
{
    private sealed class Ack : Tcp.Event
    {
        public static readonly Ack Instance = new();
    }

    private readonly Queue<ByteString> _pending = new();
    private bool _writing;
    private bool _peerClosed;

    /// <summary>Registers with <paramref name="connection"/> and echoes until the peer closes.</summary>
    public AckedEchoActor(IActorRef connection)
    {
        connection.Tell(new Tcp.Register(Self, keepOpenOnPeerClosed: true));
        Receive<Tcp.Received>(r =>
        {
            // One write in flight at a time; what arrives before its ack (reading is suspended
            // asynchronously, so a little more may come) waits here.
            if (_writing)
            {
                _pending.Enqueue(r.Data);
                return;
            }

            _writing = true;
            connection.Tell(Tcp.Write.Create(r.Data, Ack.Instance));
            connection.Tell(Tcp.SuspendReading.Instance);
        });
        Receive<Ack>(_ =>
        {
            if (_pending.TryDequeue(out var next))
            {
                connection.Tell(Tcp.Write.Create(next, Ack.Instance));
                return;
            }

            _writing = false;
            if (_peerClosed) connection.Tell(Tcp.Close.Instance);
            else connection.Tell(Tcp.ResumeReading.Instance);
        });
        Receive<Tcp.PeerClosed>(_ =>
        {
            _peerClosed = true;
            if (!_writing) connection.Tell(Tcp.Close.Instance);
        });
        Receive<Tcp.ConnectionClosed>(_ => Context.Stop(Self));
        Receive<Tcp.CommandFailed>(f => throw new InvalidOperationException($"echo write failed: {f.CauseString}"));
    }
}

/// <summary>A bind handler that starts an <see cref="AckedEchoActor"/> for every connection.</summary>
public sealed class EchoServerActor : ReceiveActor
{
    /// <summary>Creates the server; bind it yourself with <c>Tcp.Bind(server, …)</c>.</summary>
    public EchoServerActor()
    {
        Receive<Tcp.Connected>(_ => Context.ActorOf(Props.Create(() => new AckedEchoActor(Sender))));
    }
}
