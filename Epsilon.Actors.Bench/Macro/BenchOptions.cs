using System.Globalization;
using Epsilon.Actors.Bench.Peers;

namespace Epsilon.Actors.Bench.Macro;

/// <summary>Command-line options shared by the scenarios.</summary>
internal sealed record BenchOptions
{
    public int Rounds { get; init; } = 3;
    public double WarmupSeconds { get; init; } = 1;
    public double DurationSeconds { get; init; } = 3;
    public string? OutFile { get; init; }
    public bool Quick { get; init; }
    public IReadOnlyList<PeerKind> Peers { get; init; } = PeerNames.All;
    public IReadOnlyList<int>? Connections { get; init; }
    public bool Pinned { get; init; } = true;

    public static (BenchOptions Options, List<string> Others) Parse(IEnumerable<string> args)
    {
        var o = new BenchOptions();
        var rest = new List<string>();
        using var e = args.GetEnumerator();
        string Next(string name) => e.MoveNext() ? e.Current : throw new ArgumentException($"{name} needs a value");
        while (e.MoveNext())
        {
            switch (e.Current)
            {
                case "--rounds": o = o with { Rounds = int.Parse(Next("--rounds"), CultureInfo.InvariantCulture) }; break;
                case "--warmup": o = o with { WarmupSeconds = double.Parse(Next("--warmup"), CultureInfo.InvariantCulture) }; break;
                case "--duration": o = o with { DurationSeconds = double.Parse(Next("--duration"), CultureInfo.InvariantCulture) }; break;
                case "--out": o = o with { OutFile = Next("--out") }; break;
                case "--quick": o = o with { Quick = true, Rounds = 1, WarmupSeconds = 0.5, DurationSeconds = 1 }; break;
                case "--peers": o = o with { Peers = Next("--peers").Split(',').Select(PeerNames.Parse).ToArray() }; break;
                case "--connections": o = o with { Connections = Next("--connections").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() }; break;
                case "--unpinned": o = o with { Pinned = false }; break;
                default: rest.Add(e.Current); break;
            }
        }

        return (o, rest);
    }

    public const string Help = """
        options:
          --rounds N          rounds per peer, alternating peers each round (default 3)
          --warmup S          seconds before measuring (default 1)
          --duration S        seconds measured per round (default 3)
          --peers a,b,...     peers to run (default all: epsilon-epoll, epsilon-portable, akka-io, akka-streams, raw-socket, kestrel)
                              (http-plaintext, http-static: epsilon-http, kestrel-http, nginx)
                              (connections: the TCP peers plus epsilon-http, kestrel-http; http-churn, https-churn: epsilon-http, kestrel-http)
          --connections a,b   connection counts for tcp-echo (default 1,64,1000), connections (default 10000) or the churn scenarios (default 32)
          --unpinned          do not pin server (CPU 0) and load generator (CPU 1)
          --quick             1 round, short windows, smaller sizes (a smoke run)
          --out FILE          also append the markdown report to FILE
        """;
}
