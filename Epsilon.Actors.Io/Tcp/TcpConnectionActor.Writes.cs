using System.Net.Sockets;
using Akka.Actor;
using Epsilon.Actors.Io.EventLoops;
using AkkaTcp = Akka.IO.Tcp;

namespace Epsilon.Actors.Io.Tcp;

/// <summary>The write-queue adapters of <see cref="TcpConnectionActor"/>.</summary>
internal abstract partial class TcpConnectionActor
{
    /// <summary>Who to answer when a write completes or fails, and the ack (null: no ack).</summary>
    internal readonly record struct WriteToken(IActorRef Sender, AkkaTcp.Event? Ack, AkkaTcp.Write Write);

    private readonly struct SocketSink(LoopSocket socket) : IByteSink
    {
        public SocketError Send(ReadOnlySpan<byte> data, out int sent) => socket.Send(data, out sent);
    }

    private readonly struct AckCompletion(IActorRef self) : IWriteCompletion<WriteToken>
    {
        public void Completed(WriteToken token)
        {
            if (token.Ack is { } ack) token.Sender.Tell(ack, self);
        }
    }

    private readonly struct FailCompletion(IActorRef self) : IWriteCompletion<WriteToken>
    {
        public void Completed(WriteToken token)
        {
            if (!token.Sender.IsNobody())
                token.Sender.Tell(new AkkaTcp.CommandFailed(token.Write).WithCause(new IOException("Dropping write because the connection closed before it was sent")), self);
        }
    }
}
