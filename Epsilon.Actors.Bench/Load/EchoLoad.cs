using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Epsilon.Actors.Io.EventLoops;

namespace Epsilon.Actors.Bench.Load;

/// <summary>
/// Closed-loop echo: every connection keeps one message in flight; when its echo is back whole,
/// the round trip is recorded and the next message goes out at once.
/// </summary>
internal static class EchoLoad
{
    public sealed record Result(long Messages, double Seconds, double P50Micros, double P99Micros, double LoadCpuSeconds);

    public static Result Run(IPEndPoint server, int connections, int size, TimeSpan warmup, TimeSpan duration, Action<string> signal)
    {
        using var client = new LoadClient();
        client.Connect(server, connections, sourceAddresses: connections > 2000 ? 16 : 1, TimeSpan.FromSeconds(60));
        var sockets = client.Sockets;
        var message = new byte[size];
        new Random(7).NextBytes(message);
        var buffer = new byte[64 * 1024];
        var received = new int[connections];
        var sentAt = new long[connections];
        var latencies = new LatencyRecorder(8_000_000);

        var start = Stopwatch.GetTimestamp();
        var windowStart = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var windowEnd = windowStart + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        for (var i = 0; i < connections; i++) Send(sockets[i], message, ref sentAt[i]);

        var inWindow = false;
        long messages = 0;
        var cpuAtStart = TimeSpan.Zero;
        while (true)
        {
            var now = Stopwatch.GetTimestamp();
            if (!inWindow && now >= windowStart)
            {
                inWindow = true;
                cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
                signal("WINDOW-START");
            }

            if (now >= windowEnd) break;
            foreach (var e in client.Wait(10))
            {
                if ((e.Readiness & IoReadiness.Read) == 0) continue;
                var i = (int)e.Token;
                var socket = sockets[i];
                while (true)
                {
                    var error = socket.Receive(buffer, out var n);
                    if (error == SocketError.WouldBlock) break;
                    LoadClient.Check(error, "receive");
                    if (n == 0) throw new IOException($"connection {i} closed by the server");
                    received[i] += n;
                }

                while (received[i] >= size)
                {
                    received[i] -= size;
                    var done = Stopwatch.GetTimestamp();
                    if (inWindow && sentAt[i] >= windowStart)
                    {
                        messages++;
                        latencies.Record(done - sentAt[i]);
                    }

                    Send(socket, message, ref sentAt[i]);
                }
            }
        }

        signal("WINDOW-END");
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalSeconds;
        return new Result(messages, duration.TotalSeconds, latencies.PercentileMicros(50), latencies.PercentileMicros(99), cpu);
    }

    private static void Send(LoopSocket socket, byte[] message, ref long sentAt)
    {
        sentAt = Stopwatch.GetTimestamp();
        var error = socket.Send(message, out var sent);
        LoadClient.Check(error, "send");
        if (sent != message.Length) throw new IOException($"short send of a {message.Length}-byte message: {sent}");
    }
}
