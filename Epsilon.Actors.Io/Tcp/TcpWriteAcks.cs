using Akka.Actor;

namespace Epsilon.Actors.Io.Tcp;

/// <summary>Sends each completed write's ack (if it wants one) to its sender, from <c>self</c>.</summary>
internal readonly struct TcpWriteAcks(IActorRef self) : IWriteCompletion<TcpWriteToken>
{
    /// <inheritdoc />
    public void Completed(TcpWriteToken token)
    {
        if (token.Ack is { } ack) token.Sender.Tell(ack, self);
    }
}
