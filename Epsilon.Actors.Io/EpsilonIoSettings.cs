using Akka.Configuration;
using Epsilon.Actors.Io.Tcp;
using Epsilon.Actors.Io.Udp;
using Epsilon.Actors.Settings;

namespace Epsilon.Actors.Io;

/// <summary>
/// Event-loop settings (<c>epsilon.io</c>). Immutable; change with <c>with</c>, which validates.
/// </summary>
public sealed record EpsilonIoSettings
{
    private readonly string _backend = "auto";
    private readonly int _eventLoops;
    private readonly int _loopThroughput = 32;

    /// <summary>
    /// The event-loop backend: <c>auto</c>, <c>epoll</c>, <c>kqueue</c>, <c>iocp</c> or <c>portable</c>.
    /// Defaults to <c>auto</c> (epoll on Linux, portable elsewhere). A backend the platform lacks
    /// fails at start with a message naming it.
    /// </summary>
    public string Backend
    {
        get => _backend;
        init => _backend = value?.Trim().ToLowerInvariant() switch
        {
            "auto" or "epoll" or "kqueue" or "iocp" or "portable" => value.Trim().ToLowerInvariant(),
            _ => throw new ArgumentOutOfRangeException(nameof(Backend), value, "epsilon.io.backend must be auto, epoll, kqueue, iocp or portable"),
        };
    }

    /// <summary>Number of event loops; 0 means one per processor. Defaults to 0. Range 0 to 1024.</summary>
    public int EventLoops
    {
        get => _eventLoops;
        init => _eventLoops = SettingsGuard.InRange(value, 0, 1024, "epsilon.io.event-loops");
    }

    /// <summary>The number of loops actually started: <see cref="EventLoops"/>, or the processor count when it is 0.</summary>
    public int EffectiveEventLoops => _eventLoops == 0 ? Environment.ProcessorCount : _eventLoops;

    /// <summary>epoll only: edge-triggered registration (true) or one-shot level-triggered (false). Defaults to true.</summary>
    public bool EdgeTriggered { get; init; } = true;

    /// <summary>Run selector and connection actors on their loop's thread. Defaults to true.</summary>
    public bool LoopDispatcher { get; init; } = true;

    /// <summary>Dispatcher for selector and connection actors when <see cref="LoopDispatcher"/> is off. Defaults to <c>akka.actor.internal-dispatcher</c>.</summary>
    public string FallbackDispatcher { get; init; } = "akka.actor.internal-dispatcher";

    /// <summary>Messages an actor on a loop dispatcher handles per turn. Defaults to 32. Range 1 to 10,000.</summary>
    public int LoopThroughput
    {
        get => _loopThroughput;
        init => _loopThroughput = SettingsGuard.InRange(value, 1, 10_000, "epsilon.io.loop-throughput");
    }

    /// <summary>
    /// How long an idle loop keeps polling (yielding its CPU between polls) before it blocks in the
    /// kernel. Spinning buys latency (no sleeping thread to wake) for a little CPU, once per
    /// transition to idle. Defaults to 50 µs. Range 0 to 10 ms.
    /// </summary>
    public TimeSpan SpinBeforeWait
    {
        get => _spinBeforeWait;
        init => _spinBeforeWait = SettingsGuard.InRange(value, TimeSpan.Zero, TimeSpan.FromMilliseconds(10), "epsilon.io.spin-before-wait");
    }

    private readonly TimeSpan _spinBeforeWait = TimeSpan.FromMilliseconds(0.05);

    /// <summary>TCP settings (<c>epsilon.io.tcp</c>).</summary>
    public EpsilonTcpSettings Tcp { get; init; } = new();

    /// <summary>UDP settings (<c>epsilon.io.udp</c>).</summary>
    public EpsilonUdpSettings Udp { get; init; } = new();

    /// <summary>TLS security policy (<c>epsilon.io.tls</c>); pass it as the <c>Settings</c> of TLS client or server options.</summary>
    public Epsilon.Actors.Io.Tls.TlsSettings Tls { get; init; } = new();

    /// <summary>The defaults of <c>reference.conf</c>.</summary>
    public static EpsilonIoSettings Default { get; } = FromConfig(EpsilonConfig.Section((Config?)null, "epsilon.io"));

    /// <summary>
    /// These settings as the body of an <c>epsilon.io</c> section, every key written (with the
    /// <c>tcp</c>, <c>udp</c> and <c>tls</c> subsections), which <see cref="FromConfig"/> reads
    /// back to an equal value. Keys without a property here (<c>channel-mailbox</c>,
    /// <c>tcp-stream</c>) are not written, so their defaults or other HOCON still apply.
    /// </summary>
    public string ToHocon() => $$"""
        backend = {{HoconValues.Quote(Backend)}}
        event-loops = {{EventLoops}}
        epoll-trigger = {{(EdgeTriggered ? "edge" : "level")}}
        loop-dispatcher = {{HoconValues.Switch(LoopDispatcher)}}
        fallback-dispatcher = {{HoconValues.Quote(FallbackDispatcher)}}
        loop-throughput = {{LoopThroughput}}
        spin-before-wait = {{HoconValues.Duration(SpinBeforeWait)}}
        tcp {
        {{Tcp.ToHocon()}}}
        udp {
        {{Udp.ToHocon()}}}
        tls {
        {{Tls.ToHocon()}}}

        """;

    /// <summary>Reads the <c>epsilon.io</c> section (the section itself, not the root).</summary>
    public static EpsilonIoSettings FromConfig(Config io)
    {
        var trigger = io.GetString("epoll-trigger", "edge").Trim().ToLowerInvariant();
        if (trigger is not ("edge" or "level"))
            throw new ArgumentOutOfRangeException("epsilon.io.epoll-trigger", trigger, "epsilon.io.epoll-trigger must be edge or level");
        return new EpsilonIoSettings
        {
            Backend = io.GetString("backend", "auto"),
            EventLoops = io.GetInt("event-loops", 0),
            EdgeTriggered = trigger == "edge",
            LoopDispatcher = io.GetBoolean("loop-dispatcher", true),
            FallbackDispatcher = io.GetString("fallback-dispatcher", "akka.actor.internal-dispatcher"),
            LoopThroughput = io.GetInt("loop-throughput", 32),
            SpinBeforeWait = io.GetTimeSpan("spin-before-wait", TimeSpan.FromMilliseconds(0.05)),
            Tcp = EpsilonTcpSettings.FromConfig(io.GetConfig("tcp")),
            Udp = EpsilonUdpSettings.FromConfig(io.GetConfig("udp") ?? Config.Empty),

            Tls = Epsilon.Actors.Io.Tls.TlsSettings.FromConfig(io.GetConfig("tls")),
        };
    }
}
