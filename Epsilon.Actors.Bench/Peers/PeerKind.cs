namespace Epsilon.Actors.Bench.Peers;

/// <summary>The echo servers measured side by side; each runs in its own process.</summary>
internal enum PeerKind
{
    /// <summary>Epsilon's TCP manager on the epoll backend, driven by an Akka.IO echo actor.</summary>
    EpsilonEpoll,

    /// <summary>
    /// Epsilon on epoll with the same echo handler placed on its connection's loop
    /// (<c>DispatcherFor</c>): the opt-in no-hop configuration.
    /// </summary>
    EpsilonColocated,

    /// <summary>Epsilon's TCP manager on the portable backend, the same actor.</summary>
    EpsilonPortable,

    /// <summary>Akka.NET's own Akka.IO (<c>system.Tcp()</c>), the same actor.</summary>
    AkkaIo,

    /// <summary>Akka.Streams' <c>TcpStream</c> with an identity flow.</summary>
    AkkaStreams,

    /// <summary>Plain .NET async sockets, one receive/send loop per connection.</summary>
    RawSocket,

    /// <summary>Kestrel's raw TCP (<c>UseConnectionHandler</c>) copying input pipe to output pipe.</summary>
    Kestrel,

    /// <summary>UDP: Epsilon's UDP manager on epoll, driven by Akka.NET's documented UDP echo actor.</summary>
    EpsilonUdp,

    /// <summary>UDP: Epsilon's UDP manager on the portable backend, the same actor.</summary>
    EpsilonUdpPortable,

    /// <summary>UDP: Akka.NET's own <c>system.Udp()</c>, the same actor.</summary>
    AkkaIoUdp,

    /// <summary>UDP: one thread on a blocking socket, receive-from then send-to.</summary>
    RawUdp,

    /// <summary>
    /// Epsilon's Akka.Streams TCP (<c>system.EpsilonTcpStream()</c>) on epoll with an identity flow
    /// joined to each connection; run by <c>stream-echo</c> (not part of <see cref="PeerNames.All"/>).
    /// </summary>
    EpsilonStreams,

    /// <summary>HTTP: Epsilon's HTTP/1.1 server (<c>system.Http().NewServerAt</c>) with <c>HttpRoutes</c>; run by the HTTP scenarios.</summary>
    EpsilonHttp,

    /// <summary>HTTP: Kestrel with a minimal API (<c>MapGet</c>) and <c>UseStaticFiles</c>, in this same program (same GC settings).</summary>
    KestrelHttp,

    /// <summary>HTTP: nginx, one process (<c>master_process off</c>), started by the orchestrator with a generated configuration.</summary>
    Nginx,

    /// <summary>
    /// <see cref="EpsilonStreams"/> with the joined graph run on the connection's loop dispatcher
    /// (<c>LoopDispatcherOf</c>): the opt-in no-hop configuration of the streams DSL.
    /// </summary>
    EpsilonStreamsLoop,
}

/// <summary>Names used on the command line and in tables.</summary>
internal static class PeerNames
{
    public static readonly PeerKind[] All =
        [PeerKind.EpsilonEpoll, PeerKind.EpsilonColocated, PeerKind.EpsilonPortable, PeerKind.AkkaIo, PeerKind.AkkaStreams, PeerKind.RawSocket, PeerKind.Kestrel];

    public static string Name(this PeerKind kind) => kind switch
    {
        PeerKind.EpsilonEpoll => "epsilon-epoll",
        PeerKind.EpsilonColocated => "epsilon-colocated",
        PeerKind.EpsilonPortable => "epsilon-portable",
        PeerKind.AkkaIo => "akka-io",
        PeerKind.AkkaStreams => "akka-streams",
        PeerKind.RawSocket => "raw-socket",
        PeerKind.Kestrel => "kestrel",
        PeerKind.EpsilonUdp => "epsilon-udp",
        PeerKind.EpsilonUdpPortable => "epsilon-udp-portable",
        PeerKind.AkkaIoUdp => "akka-io-udp",
        PeerKind.RawUdp => "raw-udp",
        PeerKind.EpsilonStreams => "epsilon-streams",
        PeerKind.EpsilonHttp => "epsilon-http",
        PeerKind.KestrelHttp => "kestrel-http",
        PeerKind.Nginx => "nginx",
        PeerKind.EpsilonStreamsLoop => "epsilon-streams-loop",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The UDP echo servers (<c>udp-echo</c>); not in <see cref="All"/>, which the TCP scenarios run.</summary>
    public static readonly PeerKind[] Udp = [PeerKind.EpsilonUdp, PeerKind.EpsilonUdpPortable, PeerKind.AkkaIoUdp, PeerKind.RawUdp];

    /// <summary>Peers only some scenarios run by default (still selectable with <c>--peers</c> anywhere).</summary>
    public static readonly PeerKind[] Extra = [PeerKind.EpsilonStreams, PeerKind.EpsilonStreamsLoop];

    /// <summary>The HTTP servers (<c>http-plaintext</c>, <c>http-static</c>); not in <see cref="All"/>.</summary>
    public static readonly PeerKind[] Http = [PeerKind.EpsilonHttp, PeerKind.KestrelHttp, PeerKind.Nginx];

    private static IEnumerable<PeerKind> Known => All.Concat(Extra).Concat(Udp).Concat(Http);

    public static PeerKind Parse(string name) =>
        Known.FirstOrDefault(k => k.Name() == name, (PeerKind)(-1)) is var k && (int)k >= 0
            ? k
            : throw new ArgumentException($"unknown peer '{name}'; known: {string.Join(", ", Known.Select(p => p.Name()))}");
}
