using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Epsilon.Actors.Bench.Peers;

namespace Epsilon.Actors.Bench.Macro;

/// <summary><c>startup</c>: from process start to the first echo answered.</summary>
internal sealed class StartupScenario : IScenario
{
    private static readonly Metric[] s_metrics = [new("ms", "start to first echo ms", "0", false)];

    public string Name => "startup";

    public string Description => "process start to first echo";

    public async Task<string> RunAsync(BenchOptions options)
    {
        var samples = new Samples(s_metrics);
        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var peer in options.Peers)
            {
                Harness.Progress($"startup: round {round}/{options.Rounds}, {peer.Name()}");
                try
                {
                    var port = Harness.FreePort();
                    var clock = Stopwatch.StartNew();
                    await using var server = ChildProcess.Start(["server", peer.Name(), "--port", Harness.I(port)], options.Pinned ? Harness.ServerCpu : null);
                    await FirstEchoAsync(port, TimeSpan.FromSeconds(60));
                    samples.Add(peer, new Dictionary<string, double> { ["ms"] = clock.Elapsed.TotalMilliseconds });
                }
                catch (Exception ex)
                {
                    samples.Fail(peer, ex.GetType().Name + ": " + ex.Message.Split('\n')[0]);
                }
            }
        }

        return "### startup: process start to first echo\n\n" + samples.ToMarkdown(options.Peers, PeerKind.EpsilonEpoll);
    }

    private static async Task FirstEchoAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var message = new byte[64];
        while (true)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
                await socket.SendAsync(message);
                var buffer = new byte[64];
                var read = 0;
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                while (read < 64)
                {
                    var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, cts.Token);
                    if (n == 0) throw new SocketException((int)SocketError.ConnectionReset);
                    read += n;
                }

                return;
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(2);
            }
        }
    }
}
