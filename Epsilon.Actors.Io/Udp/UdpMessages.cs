using System.Net;

namespace Epsilon.Actors.Io.Udp;

/// <summary>A host name of a <c>Send</c> target was resolved (or failed to), and the datagram can be queued.</summary>
/// <param name="Datagram">The datagram, still addressed to the <see cref="DnsEndPoint"/>.</param>
/// <param name="Address">The address to use, or null when resolution failed.</param>
internal sealed record TargetResolved(OutgoingDatagram Datagram, IPAddress? Address);

/// <summary>The host name of a <c>UdpConnected.Connect</c> was resolved (or failed to).</summary>
/// <param name="Address">The address to connect to, or null when resolution failed.</param>
internal sealed record RemoteResolved(IPAddress? Address);
