using Akka.Actor;
using Akka.IO;

namespace Epsilon.Actors.Tests.TestKit;

/// <summary>
/// A UDP echo handler using only Akka.IO's messages: every <c>Udp.Received</c> goes back to its
/// sender through the socket that delivered it, and every <c>UdpConnected.Received</c> back to
/// the connected peer. Runs over Akka's managers and Epsilon's alike.
/// </summary>
public sealed class UdpEchoActor : UntypedActor
{
    /// <inheritdoc />
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Udp.Received received:
                Sender.Tell(Udp.Send.Create(received.Data, received.Sender));
                break;
            case UdpConnected.Received received:
                Sender.Tell(UdpConnected.Send.Create(received.Data));
                break;
            default:
                Unhandled(message);
                break;
        }
    }
}
