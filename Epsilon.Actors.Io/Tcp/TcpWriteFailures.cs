using Akka.Actor;
using AkkaTcp = Akka.IO.Tcp;

namespace Epsilon.Actors.Io.Tcp;

/// <summary>Answers each write dropped with its connection with <c>CommandFailed(write)</c>, from <c>self</c>.</summary>
internal readonly struct TcpWriteFailures(IActorRef self, Exception? cause = null) : IWriteCompletion<TcpWriteToken>
{
    private readonly Exception _cause = cause ?? new IOException("Dropping write because the connection closed before it was sent");

    /// <inheritdoc />
    public void Completed(TcpWriteToken token)
    {
        if (!token.Sender.IsNobody()) token.Sender.Tell(new AkkaTcp.CommandFailed(token.Write).WithCause(_cause), self);
    }
}
