using System.Net;
using System.Net.Sockets;

namespace Epsilon.Actors.Tests.TestKit;

/// <summary>Plain <see cref="Socket"/> peers for loopback tests: the independent side of every exchange.</summary>
public static class PlainSocket
{
    /// <summary>Connects a blocking client with a receive timeout.</summary>
    public static Socket Connect(EndPoint endPoint, int receiveTimeoutMs = 10_000)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = receiveTimeoutMs, NoDelay = true };
        socket.Connect(endPoint);
        return socket;
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes or throws.</summary>
    public static byte[] ReceiveExactly(this Socket socket, int count)
    {
        var buffer = new byte[count];
        var read = 0;
        while (read < count)
        {
            var n = socket.Receive(buffer, read, count - read, SocketFlags.None);
            if (n == 0) throw new IOException($"end of stream after {read} of {count} bytes");
            read += n;
        }

        return buffer;
    }

    /// <summary>Reads until the peer closes; returns what was read.</summary>
    public static byte[] ReceiveToEnd(this Socket socket)
    {
        using var ms = new MemoryStream();
        var buffer = new byte[65536];
        int n;
        while ((n = socket.Receive(buffer)) > 0) ms.Write(buffer, 0, n);
        return ms.ToArray();
    }

    /// <summary>Closes with a reset (SO_LINGER 0).</summary>
    public static void Reset(this Socket socket)
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }

    /// <summary>A port on 127.0.0.1 that was free a moment ago (nothing listens on it).</summary>
    public static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>Deterministic pseudo-random bytes, so a transfer can be checked byte for byte.</summary>
    public static byte[] Pattern(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
