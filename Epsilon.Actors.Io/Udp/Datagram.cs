using System.Net;
using Akka.IO;

namespace Epsilon.Actors.Io.Udp;

/// <summary>
/// One UDP datagram in a stream (<see cref="EpsilonUdpStream.Bind"/>): its bytes, whole (possibly
/// empty), and the remote endpoint it came from or goes to. Immutable.
/// </summary>
/// <param name="Data">The payload: 0 to 65,507 bytes over IPv4, 65,527 over IPv6.</param>
/// <param name="Remote">Where it came from (received) or where it goes (sent).</param>
public sealed record Datagram(ByteString Data, EndPoint Remote)
{
    /// <summary>Sizes, not bytes.</summary>
    public override string ToString() => $"Datagram({Data.Count} bytes, {Remote})";
}
