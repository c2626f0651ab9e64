using Akka.Actor;
using AkkaTcp = Akka.IO.Tcp;

namespace Epsilon.Actors.Io.Tcp;

/// <summary>
/// One queued Akka.IO <c>Write</c> in a <see cref="TcpWriteQueue{TToken}"/> of the TCP connection
/// or the TLS actor adapter: who to answer when it completes or fails, and its ack (null: no ack).
/// </summary>
internal readonly record struct TcpWriteToken(IActorRef Sender, AkkaTcp.Event? Ack, AkkaTcp.Write Write)
{
    /// <summary>The token for <paramref name="write"/> from <paramref name="sender"/>.</summary>
    public static TcpWriteToken For(AkkaTcp.Write write, IActorRef sender) => new(sender, write.WantsAck ? write.Ack : null, write);
}
