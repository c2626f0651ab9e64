using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Epsilon.Actors.Io.EventLoops;

namespace Epsilon.Actors.Bench.Load;

/// <summary>
/// One connection, <c>total</c> bytes each way: the client writes as fast as the server takes
/// them while reading the echo; done when every byte is back. Each read's first and last byte are
/// checked against the pattern at their stream offset (a full checksum would cost the load
/// generator more CPU than the server spends; byte-exactness is the test suite's job).
/// </summary>
internal static class BulkLoad
{
    public sealed record Result(long Bytes, double Seconds, double LoadCpuSeconds);

    public static Result Run(IPEndPoint server, long total, Action<string> signal)
    {
        using var client = new LoadClient();
        client.Connect(server, 1, 1, TimeSpan.FromSeconds(30));
        var socket = client.Sockets[0];
        var chunk = new byte[256 * 1024];
        new Random(3).NextBytes(chunk);
        var buffer = new byte[256 * 1024];
        long sent = 0, received = 0;
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        signal("WINDOW-START");
        var start = Stopwatch.GetTimestamp();
        var deadline = start + 120 * Stopwatch.Frequency;
        var lastProgress = start;
        var lastReceived = 0L;
        while (received < total)
        {
            while (sent < total)
            {
                var offset = (int)(sent % chunk.Length);
                var length = (int)Math.Min(chunk.Length - offset, total - sent);
                var error = socket.Send(chunk.AsSpan(offset, length), out var n);
                if (error == SocketError.WouldBlock) break;
                LoadClient.Check(error, "send");
                sent += n;
            }

            while (true)
            {
                var error = socket.Receive(buffer, out var n);
                if (error == SocketError.WouldBlock) break;
                LoadClient.Check(error, "receive");
                if (n == 0) throw new IOException($"server closed after {received} bytes");
                if (buffer[0] != chunk[received % chunk.Length] || buffer[n - 1] != chunk[(received + n - 1) % chunk.Length])
                    throw new InvalidDataException($"echoed bytes differ from the sent ones near offset {received}");
                received += n;
            }

            if (received < total)
            {
                client.Wait(50);
                var now = Stopwatch.GetTimestamp();
                if (received != lastReceived)
                {
                    lastReceived = received;
                    lastProgress = now;
                }

                if (now > deadline || now - lastProgress > 15 * Stopwatch.Frequency)
                    throw new TimeoutException($"bulk transfer stalled at {received} of {total} bytes (sent {sent})");
            }
        }

        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        signal("WINDOW-END");
        return new Result(total, seconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds);
    }
}
