using Akka.Actor;
using Akka.Event;
using Epsilon.Actors.Io.EventLoops;
using Epsilon.Actors.Io.EventLoops.Epoll;
using Epsilon.Actors.Io.EventLoops.Portable;
using Epsilon.Actors.Io.Tcp;
using Epsilon.Actors.Io.Udp;
using Epsilon.Actors.Settings;

namespace Epsilon.Actors.Io;

/// <summary>
/// The Akka extension that runs Epsilon's event loops in an actor system. Most code needs only
/// <see cref="EpsilonIoExtensions.EpsilonTcp"/>, <see cref="EpsilonIoExtensions.EpsilonUdp"/> and
/// <see cref="EpsilonIoExtensions.EpsilonUdpConnected"/>; this gives the settings and the chosen backend.
/// </summary>
public sealed class EpsilonIo : ExtensionIdProvider<EpsilonIoExt>
{
    /// <summary>Creates the extension for <paramref name="system"/> (called by Akka once per system).</summary>
    public override EpsilonIoExt CreateExtension(ExtendedActorSystem system) => new(system);

    /// <summary>The extension of <paramref name="system"/>, started on first use.</summary>
    public static EpsilonIoExt For(ActorSystem system) => system.WithExtension<EpsilonIoExt, EpsilonIo>();
}

/// <summary>
/// Epsilon's event loops in one actor system: the backend, one selector actor per loop, and the
/// TCP and UDP managers. Started on first use; stopped when the actor system terminates.
/// </summary>
public sealed class EpsilonIoExt : IExtension
{
    private readonly EventLoopGroup _group;
    private readonly string[] _dispatchers;

    internal EpsilonIoExt(ExtendedActorSystem system)
    {
        Settings = EpsilonIoSettings.FromConfig(EpsilonConfig.Section(system, "epsilon.io"));
        var backend = ChooseBackend(Settings);
        _group = new EventLoopGroup(backend, Settings.EffectiveEventLoops, "epsilon-io", Settings.SpinBeforeWait);
        var selectors = new List<IActorRef>(_group.Loops.Count);
        _dispatchers = new string[_group.Loops.Count];
        foreach (var loop in _group.Loops)
        {
            var dispatcher = Settings.LoopDispatcher
                ? EventLoopDispatcher.Register(system, system.Name, loop, Settings.LoopThroughput)
                : Settings.FallbackDispatcher;
            _dispatchers[loop.Index] = dispatcher;
            selectors.Add(system.SystemActorOf(SelectorActor.Props(loop, dispatcher), SelectorPrefix + loop.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        TcpManager = system.SystemActorOf(TcpManagerActor.Props(_group, selectors, Settings.Tcp), "epsilon-tcp");
        UdpManager = system.SystemActorOf(UdpManagerActor.Props(_group, selectors, Settings.Udp, connected: false), "epsilon-udp");
        UdpConnectedManager = system.SystemActorOf(UdpManagerActor.Props(_group, selectors, Settings.Udp, connected: true), "epsilon-udp-connected");
        system.RegisterOnTermination(_group.Dispose);
        system.Log.Info("Epsilon.Actors.Io started: backend {0} ({1}), {2} event loops", backend.Name, backend.Capabilities, _group.Loops.Count);
    }

    private const string SelectorPrefix = "epsilon-io-selector-";

    /// <summary>
    /// The dispatcher id of the event loop that runs <paramref name="connection"/> (the sender of
    /// <c>Tcp.Connected</c>). A handler created with <c>Props.WithDispatcher(…)</c> of this id runs
    /// on the same thread as its connection, so a <c>Received</c> reaches it, and its <c>Write</c>
    /// reaches the socket, with no thread hop: the fastest way to handle a connection.
    /// </summary>
    /// <remarks>
    /// Such a handler shares its thread with every connection of that loop: it must never block
    /// (no waiting on tasks, locks or I/O) and should do little work per message; hand heavy work
    /// to actors on other dispatchers. With <c>epsilon.io.loop-dispatcher = off</c> this returns
    /// the fallback dispatcher.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="connection"/> is not one of this system's Epsilon connections.</exception>
    public string DispatcherFor(IActorRef connection)
    {
        var parent = connection.Path.Parent;
        if (parent.Name.StartsWith(SelectorPrefix, StringComparison.Ordinal)
            && int.TryParse(parent.Name.AsSpan(SelectorPrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
            && (uint)index < (uint)_dispatchers.Length)
        {
            return _dispatchers[index];
        }

        throw new ArgumentException($"{connection.Path} is not an Epsilon TCP connection of this actor system", nameof(connection));
    }

    /// <summary>
    /// The loop dispatcher of <paramref name="connection"/>, for placing its stream stages on its
    /// loop; null when <c>epsilon.io.loop-dispatcher</c> is off (the stages then stay on the
    /// materializer's dispatcher) or <paramref name="connection"/> is not an Epsilon connection.
    /// </summary>
    internal string? LoopDispatcherOf(IActorRef connection)
    {
        if (!Settings.LoopDispatcher) return null;
        var parent = connection.Path.Parent;
        return parent.Name.StartsWith(SelectorPrefix, StringComparison.Ordinal)
            && int.TryParse(parent.Name.AsSpan(SelectorPrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
            && (uint)index < (uint)_dispatchers.Length
                ? _dispatchers[index]
                : null;
    }

    /// <summary>The loops (tests and benchmarks).</summary>
    internal EventLoopGroup Group => _group;

    /// <summary>The settings in force (<c>epsilon.io</c>).</summary>
    public EpsilonIoSettings Settings { get; }

    /// <summary>The backend actually running: <c>epoll</c> or <c>portable</c>.</summary>
    public string BackendName => _group.Backend.Name;

    /// <summary>What the running backend can do on this host.</summary>
    public IoBackendCapabilities Capabilities => _group.Backend.Capabilities;

    /// <summary>The number of event loops (one thread and one selector actor each).</summary>
    public int EventLoopCount => _group.Loops.Count;

    /// <summary>The TCP manager: send it Akka.IO's <c>Tcp.Bind</c> and <c>Tcp.Connect</c>.</summary>
    public IActorRef TcpManager { get; }

    /// <summary>The UDP manager: send it Akka.IO's <c>Udp.Bind</c> and <c>Udp.SimpleSender</c>.</summary>
    public IActorRef UdpManager { get; }

    /// <summary>The connected-UDP manager: send it Akka.IO's <c>UdpConnected.Connect</c>.</summary>
    public IActorRef UdpConnectedManager { get; }

    /// <summary>Sockets registered with each loop now (for diagnostics and tests).</summary>
    public IReadOnlyList<int> RegisteredSocketsPerLoop => _group.Loops.Select(l => l.RegisteredCount).ToArray();

    internal static IoBackend ChooseBackend(EpsilonIoSettings settings)
    {
        switch (settings.Backend)
        {
            case "auto":
                return OperatingSystem.IsLinux() && EpollBackend.IsSupported ? new EpollBackend(settings.EdgeTriggered) : new PortableBackend();
            case "portable":
                return new PortableBackend();
            case "epoll":
                if (!OperatingSystem.IsLinux())
                    throw new PlatformNotSupportedException($"epsilon.io.backend = epoll needs Linux; this is {System.Runtime.InteropServices.RuntimeInformation.OSDescription}. Use auto or portable.");
                if (!EpollBackend.IsSupported)
                    throw new PlatformNotSupportedException("epsilon.io.backend = epoll: epoll_create1 failed on this host. Use auto or portable.");
                return new EpollBackend(settings.EdgeTriggered);
            case "kqueue":
                throw new PlatformNotSupportedException(OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD()
                    ? "epsilon.io.backend = kqueue is not available in this version yet. Use auto or portable."
                    : $"epsilon.io.backend = kqueue needs macOS or BSD; this is {System.Runtime.InteropServices.RuntimeInformation.OSDescription}. Use auto or portable.");
            case "iocp":
                throw new PlatformNotSupportedException(OperatingSystem.IsWindows()
                    ? "epsilon.io.backend = iocp is not available in this version yet. Use auto or portable."
                    : $"epsilon.io.backend = iocp needs Windows; this is {System.Runtime.InteropServices.RuntimeInformation.OSDescription}. Use auto or portable.");
            default:
                throw new PlatformNotSupportedException($"unknown epsilon.io.backend '{settings.Backend}'");
        }
    }
}

/// <summary>Entry points on <see cref="ActorSystem"/>.</summary>
public static class EpsilonIoExtensions
{
    /// <summary>
    /// Epsilon's TCP manager: the drop-in for Akka's <c>system.Tcp()</c>. Send it Akka.IO's own
    /// <c>Tcp.Bind</c> and <c>Tcp.Connect</c>; everything after that is Akka.IO's protocol.
    /// </summary>
    public static IActorRef EpsilonTcp(this ActorSystem system) => EpsilonIo.For(system).TcpManager;

    /// <summary>
    /// Epsilon's UDP manager: the drop-in for Akka's <c>system.Udp()</c>. Send it Akka.IO's own
    /// <c>Udp.Bind</c> (answered with <c>Udp.Bound</c> from the socket's actor) or
    /// <c>Udp.SimpleSender</c> (answered with <c>Udp.SimpleSenderReady</c>). Datagrams are
    /// delivered whole, empty ones included; see docs/io-protocol.md for the differences.
    /// </summary>
    public static IActorRef EpsilonUdp(this ActorSystem system) => EpsilonIo.For(system).UdpManager;

    /// <summary>
    /// Epsilon's connected-UDP manager: the drop-in for Akka's <c>UdpConnected.Instance.Apply(system).Manager</c>.
    /// Send it Akka.IO's own <c>UdpConnected.Connect</c>; it answers <c>UdpConnected.Connected</c>
    /// from the socket's actor, or <c>UdpConnected.CommandFailed</c>.
    /// </summary>
    public static IActorRef EpsilonUdpConnected(this ActorSystem system) => EpsilonIo.For(system).UdpConnectedManager;

    /// <summary>UDP as Akka.Streams over Epsilon's UDP manager: <c>system.EpsilonUdpStream().Bind(endPoint)</c> is a <c>Flow&lt;Datagram, Datagram, Task&lt;EndPoint&gt;&gt;</c>.</summary>
    public static EpsilonUdpStream EpsilonUdpStream(this ActorSystem system) => new(system);
}
