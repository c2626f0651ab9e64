using System.Net;
using Akka;
using Akka.IO;
using Akka.Streams.Dsl;

namespace Epsilon.Actors.Io.Streams;

/// <summary>
/// The idle timeout of a connection flow, as Akka.Streams TCP has it: when no bytes pass in
/// either direction for the timeout, both directions fail with a
/// <see cref="TcpIdleTimeoutException"/> (a <see cref="TimeoutException"/>) and the connection is
/// reset.
/// </summary>
internal static class IdleTimeoutBidi
{
    /// <summary>
    /// A bidi whose both outputs carry the mapped failure. Its top direction is the one joined
    /// first, so the same shape serves <c>connection.Join(bidi)</c> and <c>bidi.Join(connection)</c>.
    /// </summary>
    public static BidiFlow<ByteString, ByteString, ByteString, ByteString, NotUsed> Create(TimeSpan timeout, EndPoint remote)
    {
        var failure = new TcpIdleTimeoutException($"TCP idle-timeout encountered on connection to [{remote}], no bytes passed in the last {timeout}", timeout);
        var mapTop = BidiFlow.FromFlows(
            Flow.Create<ByteString>().SelectError(e => e is TimeoutException ? failure : e),
            Flow.Create<ByteString>());
        return mapTop.Reversed()
            .Atop(BidiFlow.BidirectionalIdleTimeout<ByteString, ByteString>(timeout))
            .Atop(mapTop);
    }
}
