using System.Net;
using System.Net.Sockets;

namespace Epsilon.Actors.Io.EventLoops;

/// <summary>
/// A non-blocking socket of one backend. No method blocks, and ordinary network conditions are
/// returned as <see cref="SocketError"/> values, never thrown: <see cref="SocketError.WouldBlock"/>
/// means "arm interest and try again when ready".
/// </summary>
/// <remarks>
/// A socket is used by one actor at a time; its methods are not meant for concurrent callers,
/// except that the owning poller may complete internal operations on its own threads.
/// </remarks>
internal abstract class LoopSocket : IDisposable
{
    /// <summary>The address family the socket was opened with.</summary>
    public abstract AddressFamily AddressFamily { get; }

    /// <summary>The bound local address, or null if it cannot be read.</summary>
    public abstract EndPoint? LocalEndPoint { get; }

    /// <summary>The connected peer's address, or null if it cannot be read.</summary>
    public abstract EndPoint? RemoteEndPoint { get; }

    /// <summary>Binds to a local address.</summary>
    public abstract SocketError Bind(EndPoint endPoint);

    /// <summary>Starts listening with the given backlog.</summary>
    public abstract SocketError Listen(int backlog);

    /// <summary>Accepts one pending connection; <see cref="SocketError.WouldBlock"/> when none is waiting.</summary>
    public abstract SocketError TryAccept(out LoopSocket? accepted);

    /// <summary>
    /// Starts a connect. Returns <see cref="SocketError.Success"/> when connected at once,
    /// <see cref="SocketError.WouldBlock"/> (or <see cref="SocketError.InProgress"/>) when the
    /// result arrives later as <see cref="IoReadiness.Write"/> readiness (then call
    /// <see cref="FinishConnect"/>), or the error.
    /// </summary>
    public abstract SocketError Connect(EndPoint remote);

    /// <summary>The outcome of a connect that returned <see cref="SocketError.WouldBlock"/>, once write-ready.</summary>
    public abstract SocketError FinishConnect();

    /// <summary>
    /// Reads into <paramref name="buffer"/>. <paramref name="received"/> = 0 with
    /// <see cref="SocketError.Success"/> means the peer closed its sending side.
    /// </summary>
    public abstract SocketError Receive(Span<byte> buffer, out int received);

    /// <summary>Writes as much of <paramref name="data"/> as the send buffer takes.</summary>
    public abstract SocketError Send(ReadOnlySpan<byte> data, out int sent);

    /// <summary>
    /// Receives one whole datagram into <paramref name="buffer"/>, with its sender in
    /// <paramref name="remote"/>. An empty datagram is <see cref="SocketError.Success"/> with
    /// <paramref name="received"/> = 0. A datagram larger than the buffer is consumed and returned
    /// as <see cref="SocketError.MessageSize"/> with the buffer full (truncation is never silent).
    /// <see cref="SocketError.WouldBlock"/> when no datagram is queued.
    /// </summary>
    public abstract SocketError ReceiveFrom(Span<byte> buffer, out int received, out EndPoint? remote);

    /// <summary>
    /// Sends <paramref name="datagram"/> as one datagram (an empty one too) to
    /// <paramref name="remote"/>, or to the connected peer when it is null. A datagram the
    /// protocol cannot carry is <see cref="SocketError.MessageSize"/>; a full send buffer is
    /// <see cref="SocketError.WouldBlock"/> (nothing was sent: arm write interest and retry).
    /// </summary>
    public abstract SocketError SendTo(ReadOnlySpan<byte> datagram, EndPoint? remote, out int sent);

    /// <summary>
    /// Joins the multicast <paramref name="group"/> (IPv4 or IPv6) on the interface given by
    /// <paramref name="interfaceAddress"/> (IPv4) or <paramref name="interfaceIndex"/> (both
    /// families; 0 lets the kernel choose by route).
    /// </summary>
    public abstract SocketError JoinMulticastGroup(IPAddress group, IPAddress? interfaceAddress, int interfaceIndex);

    /// <summary>Shuts down one or both directions.</summary>
    public abstract SocketError Shutdown(SocketShutdown how);

    /// <summary>
    /// The <see cref="SocketOptionName"/> that stands for SO_REUSEPORT in <see cref="SetOption"/>
    /// (.NET has no name for it; every backend maps this value to the platform's constant).
    /// </summary>
    public const SocketOptionName ReusePortOption = (SocketOptionName)0x7EB0_0001;

    /// <summary>Sets an integer socket option. <see cref="SocketOptionName.ReuseAddress"/> means SO_REUSEADDR alone.</summary>
    public abstract SocketError SetOption(SocketOptionLevel level, SocketOptionName name, int value);

    /// <summary>Reads an integer socket option.</summary>
    public abstract SocketError GetOption(SocketOptionLevel level, SocketOptionName name, out int value);

    /// <summary>Sets SO_LINGER.</summary>
    public abstract SocketError SetLinger(bool enabled, int seconds);

    /// <summary>
    /// Runs <paramref name="configure"/> with a <see cref="Socket"/> view of this socket, so that
    /// user-defined <c>Akka.IO.Inet.SocketOption</c> subclasses work on every backend. The view
    /// does not own the handle and must not be kept.
    /// </summary>
    public abstract void WithManagedView(Action<Socket> configure);

    /// <summary>Closes the socket (graceful: queued data is still sent). Idempotent.</summary>
    public abstract void Dispose();

    /// <summary>Closes the socket with a reset (SO_LINGER 0). Idempotent.</summary>
    public virtual void Abort()
    {
        SetLinger(true, 0);
        Dispose();
    }
}
