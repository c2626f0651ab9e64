using System.Net;
using Akka.Actor;
using Akka.IO;

namespace Epsilon.Actors.Io.Udp;

/// <summary>
/// One datagram a UDP channel actor was asked to send: the payload, where to (null: the connected
/// peer), the command to name in <c>CommandFailed</c>, the ack (null: none) and who asked.
/// </summary>
/// <param name="Payload">The datagram's bytes (may be empty).</param>
/// <param name="Target">The destination; null on a connected socket.</param>
/// <param name="Command">The <c>Udp.Send</c> or <c>UdpConnected.Send</c>, for the failure reply.</param>
/// <param name="Ack">Sent to <paramref name="Commander"/> once the datagram is in the kernel; null for <c>NoAck</c>.</param>
/// <param name="Commander">The sender of the command.</param>
internal readonly record struct OutgoingDatagram(ByteString Payload, EndPoint? Target, object Command, object? Ack, IActorRef Commander)
{
    /// <summary>Sizes, not bytes.</summary>
    public override string ToString() => $"OutgoingDatagram({Payload.Count} bytes to {Target?.ToString() ?? "the connected peer"})";
}
