using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Epsilon.Actors.Tests.TestKit;

/// <summary>
/// A plain <see cref="Socket"/> UDP peer on loopback: the independent side of every UDP test.
/// Datagrams it numbers carry their sequence number in the first four bytes and a pattern derived
/// from it after, so a cut, changed or duplicated datagram is detected.
/// </summary>
public sealed class UdpPeer : IDisposable
{
    /// <summary>Binds a blocking UDP socket to <paramref name="address"/>:0 with a receive timeout and a 4 MiB receive buffer.</summary>
    public UdpPeer(IPAddress address, int receiveTimeoutMs = 10_000)
    {
        Socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = receiveTimeoutMs };
        Socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReceiveBuffer, 4 << 20);
        Socket.Bind(new IPEndPoint(address, 0));
    }

    /// <summary>The socket.</summary>
    public Socket Socket { get; }

    /// <summary>Where the peer is bound.</summary>
    public IPEndPoint EndPoint => (IPEndPoint)Socket.LocalEndPoint!;

    /// <summary>Sends one datagram.</summary>
    public void SendTo(ReadOnlySpan<byte> datagram, EndPoint target) => Socket.SendTo(datagram, SocketFlags.None, target);

    /// <summary>Receives one datagram (throws on the receive timeout); returns its bytes and sender.</summary>
    public (byte[] Data, IPEndPoint From) Receive()
    {
        var buffer = new byte[65_536];
        EndPoint from = new IPEndPoint(Socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        var n = Socket.ReceiveFrom(buffer, ref from);
        return (buffer.AsSpan(0, n).ToArray(), (IPEndPoint)from);
    }

    /// <summary>True when a datagram arrives within <paramref name="milliseconds"/>.</summary>
    public bool Poll(int milliseconds) => Socket.Poll(milliseconds * 1000, SelectMode.SelectRead);

    /// <summary>The numbered datagram <paramref name="seq"/> of <paramref name="size"/> bytes (at least 4).</summary>
    public static byte[] Numbered(int seq, int size)
    {
        var data = new byte[Math.Max(4, size)];
        BinaryPrimitives.WriteInt32BigEndian(data, seq);
        for (var i = 4; i < data.Length; i++) data[i] = (byte)(seq * 31 + i * 7);
        return data;
    }

    /// <summary>The sequence number of a numbered datagram, or -1 when its bytes are not what <see cref="Numbered"/> made.</summary>
    public static int Check(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4) return -1;
        var seq = BinaryPrimitives.ReadInt32BigEndian(data);
        for (var i = 4; i < data.Length; i++)
        {
            if (data[i] != (byte)(seq * 31 + i * 7)) return -1;
        }

        return seq;
    }

    /// <summary>
    /// Sends <paramref name="count"/> numbered datagrams to an echo at <paramref name="target"/>,
    /// never more than <paramref name="window"/> unanswered (the pacing that keeps a loaded host's
    /// receive queues from overflowing), and checks every echo. Returns how many distinct intact
    /// echoes came back and the sum of their sequence numbers and sizes; a timeout of 10 s without
    /// an echo ends the run early (the caller's asserts then show what was missing).
    /// </summary>
    public (int Echoed, long Checksum, long Expected) EchoRun(EndPoint target, int count, int window, Func<int, int> sizeOf)
    {
        var seen = new bool[count];
        var echoed = 0;
        long checksum = 0;
        long expected = 0;
        var buffer = new byte[65_536];
        var sent = 0;
        var clock = Stopwatch.StartNew();
        while (echoed < count)
        {
            while (sent < count && sent - echoed < window)
            {
                var size = sizeOf(sent);
                expected += sent + (long)Math.Max(4, size);
                Socket.SendTo(Numbered(sent, size), target);
                sent++;
            }

            int n;
            try
            {
                n = Socket.Receive(buffer);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
            {
                break;
            }

            var seq = Check(buffer.AsSpan(0, n));
            if (seq < 0 || seq >= count || seen[seq]) continue;
            seen[seq] = true;
            echoed++;
            checksum += seq + (long)n;
            if (clock.Elapsed > TimeSpan.FromMinutes(1)) break;
        }

        return (echoed, checksum, expected);
    }

    /// <summary>Closes the socket.</summary>
    public void Dispose() => Socket.Dispose();
}
