using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Epsilon.Actors.Io.EventLoops;

namespace Epsilon.Actors.Bench.Load;

/// <summary>
/// Many idle connections (from several 127.0.0.x source addresses), held while the orchestrator
/// reads the server's memory, then one 64-byte echo on each, all checked.
/// </summary>
internal static class ConnectionsLoad
{
    public sealed record Result(int Connections, double ConnectSeconds, double EchoSeconds, int Echoed);

    public static Result Run(IPEndPoint server, int count, Action<string> signal, Func<string?> waitForOrchestrator)
    {
        using var client = new LoadClient();
        signal("CONNECTING");
        var start = Stopwatch.GetTimestamp();
        client.Connect(server, count, sourceAddresses: 16, TimeSpan.FromSeconds(120));
        var connectSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;

        // Idle: the orchestrator samples the server's memory, then says go.
        signal("IDLE");
        waitForOrchestrator();

        var message = new byte[64];
        var received = new int[count];
        var echoed = 0;
        start = Stopwatch.GetTimestamp();
        foreach (var socket in client.Sockets)
        {
            LoadClient.Check(socket.Send(message, out var n), "send");
            if (n != message.Length) throw new IOException("short send");
        }

        var buffer = new byte[4096];
        var deadline = start + 120 * Stopwatch.Frequency;
        while (echoed < count)
        {
            if (Stopwatch.GetTimestamp() > deadline) throw new TimeoutException($"{count - echoed} echoes missing");
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
                    if (received[i] < message.Length && received[i] + n >= message.Length) echoed++;
                    received[i] += n;
                }
            }
        }

        return new Result(count, connectSeconds, Stopwatch.GetElapsedTime(start).TotalSeconds, echoed);
    }
}
