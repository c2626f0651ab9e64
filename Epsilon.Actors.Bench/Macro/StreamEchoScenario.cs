using Epsilon.Actors.Bench.Peers;

namespace Epsilon.Actors.Bench.Macro;

/// <summary>
/// <c>stream-echo</c>: the <c>tcp-echo</c> load (closed loop, 64-byte messages, same load
/// generator) against Akka.Streams TCP echo servers: Epsilon's streams DSL, Akka.Streams' own
/// <c>TcpStream</c>, and Epsilon's actor echo for the cost of the streams layer. Ratios are
/// epsilon-streams ÷ peer.
/// </summary>
internal sealed class StreamEchoScenario : IScenario
{
    private static readonly PeerKind[] s_defaultPeers = [PeerKind.EpsilonStreams, PeerKind.EpsilonStreamsLoop, PeerKind.AkkaStreams, PeerKind.EpsilonEpoll];

    public string Name => "stream-echo";

    public string Description => "tcp-echo's load on Akka.Streams TCP: epsilon-streams vs akka-streams vs epsilon-epoll (actor echo)";

    public async Task<string> RunAsync(BenchOptions options)
    {
        // --peers overrides the default trio; the default list of the other scenarios does not apply.
        var peers = ReferenceEquals(options.Peers, PeerNames.All) ? s_defaultPeers : options.Peers;
        var run = options with { Peers = peers };
        var counts = options.Connections ?? (options.Quick ? [1, 64] : [1, 64, 1000]);
        var report = new System.Text.StringBuilder();
        foreach (var connections in counts)
        {
            var samples = await TcpEchoScenario.MeasureAsync(run, connections);
            report.AppendLine($"### stream-echo, {connections} connection{(connections == 1 ? "" : "s")}, {(options.Pinned ? "server on CPU 0, load generator on CPU 1" : "unpinned")}");
            report.AppendLine();
            report.AppendLine(samples.ToMarkdown(peers, PeerKind.EpsilonStreams));
        }

        return report.ToString();
    }
}
