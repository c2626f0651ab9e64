using System.Net.Sockets;

namespace Epsilon.Actors.Io.Udp;

/// <summary>What <see cref="UdpSendQueue{T}"/> drives: one system call per datagram, and the outcome.</summary>
/// <typeparam name="T">The shell's datagram record.</typeparam>
internal interface IUdpSendSink<T>
{
    /// <summary>Tries to send one datagram; <see cref="SocketError.WouldBlock"/> keeps it queued.</summary>
    SocketError Send(T datagram);

    /// <summary>The datagram left the queue: sent (<see cref="SocketError.Success"/>) or failed with the error.</summary>
    void Completed(T datagram, SocketError error);
}
