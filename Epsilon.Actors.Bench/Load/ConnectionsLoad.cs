using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Epsilon.Actors.Io.EventLoops;

namespace Epsilon.Actors.Bench.Load;

/// <summary>
/// Many idle connections from several 127.0.0.x source addresses, all connects issued at once (a
/// storm: no bound on handshakes in flight) or at most 512 at a time; held while the orchestrator
/// reads the server's memory; then one exchange on each, all checked: a 64-byte echo, or (HTTP) one
/// keep-alive <c>GET /plaintext</c> read to the end of its response; held again for a second reading.
/// Optional warm-up storms come first (signalled <c>WARM</c>), so the baseline is taken warm.
/// </summary>
internal static class ConnectionsLoad
{
    public sealed record Result(int Connections, double ConnectSeconds, double ExchangeSeconds, int Exchanged);

    /// <summary>Connections per warm-up storm: enough for every per-connection method to reach tier 1, few enough to leave the heap near its baseline.</summary>
    public const int WarmupConnections = 1000;

    private static readonly byte[] s_get = Encoding.ASCII.GetBytes("GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

    public static Result Run(IPEndPoint server, int count, int sources, bool storm, bool http, int warmups, Action<string> signal, Func<string?> waitForOrchestrator)
    {
        // Warm-up storms of WarmupConnections, each with its exchange, then closed: the server's accept and set-up code is
        // JIT-compiled to its final tier before the measured storm, as a long-running server's is
        // (Kestrel runs mostly from the ReadyToRun shared framework, Epsilon's code is JIT-compiled).
        for (var w = 0; w < warmups; w++)
        {
            using var warm = new LoadClient();
            var n = Math.Min(count, WarmupConnections);
            warm.Connect(server, n, sources, TimeSpan.FromSeconds(120), storm ? int.MaxValue : 512);
            Exchange(warm, n, http);
            warm.Dispose();
            // Quiet time: the runtime installs its call counters once jitting has paused, and
            // compiles tier 1 in the background once they have counted; two storms apart do both.
            Thread.Sleep(1000);
        }

        if (warmups > 0)
        {
            signal("WARM");
            waitForOrchestrator();
        }

        using var client = new LoadClient();
        signal("CONNECTING");
        var start = Stopwatch.GetTimestamp();
        client.Connect(server, count, sources, TimeSpan.FromSeconds(120), storm ? int.MaxValue : 512);
        var connectSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;

        // Idle: the orchestrator samples the server's memory, then says go.
        signal($"IDLE connect={connectSeconds.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}");
        waitForOrchestrator();

        var exchangeSeconds = Exchange(client, count, http);
        // Answered, connections still open (keep-alive): the orchestrator samples memory again.
        signal("ANSWERED");
        waitForOrchestrator();
        return new Result(count, connectSeconds, exchangeSeconds, count);
    }

    /// <summary>One exchange on every connection, all checked; returns its seconds.</summary>
    private static double Exchange(LoadClient client, int count, bool http)
    {
        var message = http ? s_get : new byte[64];
        var received = new byte[count][];
        var lengths = new int[count];
        var done = new bool[count];
        var exchanged = 0;
        var start = Stopwatch.GetTimestamp();
        foreach (var socket in client.Sockets)
        {
            LoadClient.Check(socket.Send(message, out var n), "send");
            if (n != message.Length) throw new IOException("short send");
        }

        var buffer = new byte[4096];
        var deadline = start + 120 * Stopwatch.Frequency;
        while (exchanged < count)
        {
            if (Stopwatch.GetTimestamp() > deadline) throw new TimeoutException($"{count - exchanged} answers missing");
            foreach (var e in client.Wait(100))
            {
                if ((e.Readiness & IoReadiness.Read) == 0) continue;
                var i = (int)e.Token;
                while (true)
                {
                    var error = client.Sockets[i].Receive(buffer, out var n);
                    if (error == SocketError.WouldBlock) break;
                    LoadClient.Check(error, "receive");
                    if (n == 0) throw new IOException($"connection {i} closed");
                    if (done[i]) continue;
                    if (!http)
                    {
                        lengths[i] += n;
                        if (lengths[i] >= message.Length) (done[i], exchanged) = (true, exchanged + 1);
                        continue;
                    }

                    var acc = received[i] ??= new byte[1024];
                    if (lengths[i] + n > acc.Length) Array.Resize(ref received[i], Math.Max(acc.Length * 2, lengths[i] + n));
                    buffer.AsSpan(0, n).CopyTo(received[i].AsSpan(lengths[i]));
                    lengths[i] += n;
                    if (HttpResponseComplete(received[i].AsSpan(0, lengths[i])))
                    {
                        done[i] = true;
                        exchanged++;
                        received[i] = null!;
                    }
                }
            }
        }

        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>A 200 whose body is complete: by Content-Length, or chunked up to its last chunk.</summary>
    private static bool HttpResponseComplete(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf("\r\n\r\n"u8);
        if (end < 0) return false;
        var head = Encoding.ASCII.GetString(bytes[..end]);
        if (!head.StartsWith("HTTP/1.1 200", StringComparison.Ordinal)) throw new IOException("not a 200: " + head.Split('\r')[0]);
        var body = bytes[(end + 4)..];
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("content-length:", StringComparison.OrdinalIgnoreCase))
                return body.Length >= int.Parse(line.AsSpan(15).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }

        return body.EndsWith("0\r\n\r\n"u8);
    }
}
