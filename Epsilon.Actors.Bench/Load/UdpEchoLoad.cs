using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Epsilon.Actors.Io.EventLoops;
using Epsilon.Actors.Io.EventLoops.Epoll;

namespace Epsilon.Actors.Bench.Load;

/// <summary>
/// Windowed UDP echo: each of N connected sockets keeps up to W numbered datagrams in flight and
/// sends the next one as each echo comes back. A socket that hears nothing for 200 ms while it has
/// datagrams out counts them as lost and starts a new window; an echo of a datagram already given
/// up is counted late, not completed. One thread, one edge-triggered epoll instance.
/// </summary>
internal static class UdpEchoLoad
{
    public sealed record Result(long Messages, long Sent, long Lost, double Seconds, double LoadCpuSeconds);

    public static Result Run(IPEndPoint server, int sockets, int window, int size, TimeSpan warmup, TimeSpan duration, Action<string> signal)
    {
        var backend = new EpollBackend(edgeTriggered: true);
        using var poller = backend.CreatePoller();
        var all = new LoopSocket[sockets];
        var nextSeq = new long[sockets];
        var epochStart = new long[sockets];
        var outstanding = new int[sockets];
        var lastHeard = new long[sockets];
        var message = new byte[Math.Max(8, size)];
        var buffer = new byte[65_536];
        var events = new PollerEvent[1024];
        var giveUp = Stopwatch.Frequency / 5;
        try
        {
            for (var i = 0; i < sockets; i++)
            {
                all[i] = backend.Open(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                all[i].SetOption(SocketOptionLevel.Socket, SocketOptionName.ReceiveBuffer, 4 << 20);
                LoadClient.Check(all[i].Connect(server), "connect");
                poller.Register(all[i], (ulong)i);
            }

            var start = Stopwatch.GetTimestamp();
            var windowStart = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
            var windowEnd = windowStart + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            var inWindow = false;
            long messages = 0, sent = 0, lost = 0;
            var cpuAtStart = TimeSpan.Zero;
            var lastScan = start;
            for (var i = 0; i < sockets; i++) Fill(i, start);

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
                var n = poller.Wait(events, 10);
                now = Stopwatch.GetTimestamp();
                for (var e = 0; e < n; e++)
                {
                    if ((events[e].Readiness & IoReadiness.Read) == 0) continue;
                    var i = (int)events[e].Token;
                    while (true)
                    {
                        var error = all[i].ReceiveFrom(buffer, out var got, out _);
                        if (error == SocketError.WouldBlock) break;
                        if (error != SocketError.Success || got < 8) continue;
                        var seq = BinaryPrimitives.ReadInt64LittleEndian(buffer);
                        if (seq < epochStart[i]) continue; // late: already counted lost
                        outstanding[i]--;
                        lastHeard[i] = now;
                        if (inWindow) messages++;
                    }

                    Fill(i, now);
                }

                if (now - lastScan > giveUp / 4)
                {
                    lastScan = now;
                    for (var i = 0; i < sockets; i++)
                    {
                        if (outstanding[i] == 0 || now - lastHeard[i] < giveUp) continue;
                        if (inWindow) lost += outstanding[i];
                        outstanding[i] = 0;
                        epochStart[i] = nextSeq[i];
                        Fill(i, now);
                    }
                }
            }

            signal("WINDOW-END");
            var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalSeconds;
            return new Result(messages, sent, lost, duration.TotalSeconds, cpu);

            void Fill(int i, long now)
            {
                if (outstanding[i] == 0) lastHeard[i] = now;
                while (outstanding[i] < window)
                {
                    BinaryPrimitives.WriteInt64LittleEndian(message, nextSeq[i]);
                    var error = all[i].SendTo(message, null, out _);
                    if (error == SocketError.WouldBlock) return;
                    LoadClient.Check(error, "send");
                    nextSeq[i]++;
                    outstanding[i]++;
                    if (inWindow) sent++;
                }
            }
        }
        finally
        {
            foreach (var s in all) s?.Dispose();
        }
    }
}
