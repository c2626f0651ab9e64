using System.Globalization;
using System.Net;
using Akka.Streams;
using Akka.Streams.Dsl;
using Epsilon.Actors.Io;
using Epsilon.Actors.Io.Udp;
using Epsilon.Actors.Tests.TestKit;
using Xunit;

namespace Epsilon.Actors.Tests.Io.Udp;

/// <summary>The datagram flow of <see cref="EpsilonUdpStream"/> over real loopback sockets.</summary>
public abstract partial class UdpContractTests
{
    [SkippableFact]
    public async Task The_bound_flow_joined_to_itself_echoes_datagrams_whole_and_intact()
    {
        RequireBackend();
        var bound = Sys.EpsilonUdpStream().Bind(new IPEndPoint(IPAddress.Loopback, 0), s_deepQueue)
            .Join(Flow.Create<Datagram>())
            .Run(Sys.Materializer());
        var endPoint = await bound.WaitAsync(s_wait);
        using var peer = new UdpPeer(IPAddress.Loopback);

        peer.SendTo([], endPoint);
        Assert.Empty(peer.Receive().Data);
        var (echoed, checksum, expected) = peer.EchoRun(endPoint, 1_000, window: 16, sizeOf: i => i * 37 % 4000);

        Assert.Equal(1_000, echoed);
        Assert.Equal(expected, checksum);
    }

    [SkippableFact]
    public async Task A_stalled_consumer_stops_reading_so_datagrams_wait_in_the_kernel_until_it_pulls()
    {
        RequireBackend();
        Skip.IfNot(OperatingSystem.IsLinux(), "the kernel's receive queue is observed through /proc/net/udp, which only Linux has");
        var (bound, queue) = Source.Never<Datagram>()
            .ViaMaterialized(Sys.EpsilonUdpStream().Bind(new IPEndPoint(IPAddress.Loopback, 0), s_deepQueue), Keep.Right)
            .ToMaterialized(Sink.Queue<Datagram>().WithAttributes(Attributes.CreateInputBuffer(1, 1)), Keep.Both)
            .Run(Sys.Materializer());
        var endPoint = (IPEndPoint)await bound.WaitAsync(s_wait);
        using var peer = new UdpPeer(IPAddress.Loopback);

        const int count = 300;

        // Nobody pulls. The first datagrams fill the stage's small buffer, and the socket is told
        // to suspend reading (how many it reads before that takes effect depends on scheduling);
        // once the kernel queue has settled, everything sent after must stay in the kernel: the
        // queue settles above zero and does not shrink while we wait.
        const int first = 50;
        for (var i = 0; i < first; i++) peer.SendTo(UdpPeer.Numbered(i, 100), endPoint);
        await SettledAsync(() => KernelReceiveQueue(endPoint.Port));
        for (var i = first; i < count; i++) peer.SendTo(UdpPeer.Numbered(i, 100), endPoint);
        var queued = await SettledAsync(() => KernelReceiveQueue(endPoint.Port));
        Assert.True(queued > 0, "nothing waits in the kernel: the socket kept reading for a consumer that does not pull");
        await Task.Delay(500);
        Assert.Equal(queued, KernelReceiveQueue(endPoint.Port));

        for (var i = 0; i < count; i++)
        {
            var next = await queue.PullAsync().WaitAsync(s_wait);
            Assert.True(next.HasValue, $"the flow completed after {i} datagrams");
            Assert.Equal(i, UdpPeer.Check(next.Value.Data.ToArray()));
        }

        Assert.Equal(0, await WaitForAsync(() => KernelReceiveQueue(endPoint.Port), q => q == 0));
    }

    // The value once two readings 200 ms apart agree (at most 10 s).
    private static async Task<int> SettledAsync(Func<int> read)
    {
        var value = read();
        for (var i = 0; i < 50; i++)
        {
            await Task.Delay(200);
            var next = read();
            if (next == value) return value;
            value = next;
        }

        return value;
    }

    private static async Task<int> WaitForAsync(Func<int> read, Func<int, bool> done)
    {
        var value = read();
        for (var i = 0; i < 100 && !done(value); i++)
        {
            await Task.Delay(50);
            value = read();
        }

        return value;
    }

    // Bytes the kernel holds for the IPv4 UDP socket bound to this port (rx_queue in /proc/net/udp).
    private static int KernelReceiveQueue(int port)
    {
        var suffix = ":" + port.ToString("X4", CultureInfo.InvariantCulture);
        foreach (var line in File.ReadLines("/proc/net/udp").Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 4 && fields[1].EndsWith(suffix, StringComparison.Ordinal))
                return int.Parse(fields[4].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }

        throw new InvalidOperationException($"no UDP socket on port {port} in /proc/net/udp");
    }
}
