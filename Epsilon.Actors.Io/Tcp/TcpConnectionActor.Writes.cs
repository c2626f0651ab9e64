using System.Net.Sockets;
using Epsilon.Actors.Io.EventLoops;

namespace Epsilon.Actors.Io.Tcp;

/// <summary>The write-queue sink of <see cref="TcpConnectionActor"/>.</summary>
internal abstract partial class TcpConnectionActor
{
    private readonly struct SocketSink(LoopSocket socket) : IByteSink
    {
        public SocketError Send(ReadOnlySpan<byte> data, out int sent) => socket.Send(data, out sent);
    }
}
