using Akka.Configuration;
using Epsilon.Actors.Settings;

namespace Epsilon.Actors.Io.Tcp;

/// <summary>
/// TCP limits and defaults (<c>epsilon.io.tcp</c>). Immutable; change with <c>with</c>, which
/// validates. Every default here equals <c>reference.conf</c>'s.
/// </summary>
public sealed record EpsilonTcpSettings
{
    private readonly int _receiveBufferSize = 64 * 1024;
    private readonly int _maxReadsPerWakeup = 4;
    private readonly long _maxPendingWriteBytes = 64L * 1024 * 1024;
    private readonly int _batchAcceptLimit = 64;
    private readonly TimeSpan? _registerTimeout = TimeSpan.FromSeconds(5);
    private readonly TimeSpan? _connectTimeout;
    private readonly int _defaultBacklog = 4096;
    private readonly int _minBacklog = 4096;

    /// <summary>Bytes one read fills (the most one <c>Tcp.Received</c> carries). Defaults to 64 KiB. Range 512 B to 16 MiB.</summary>
    public int ReceiveBufferSize
    {
        get => _receiveBufferSize;
        init => _receiveBufferSize = SettingsGuard.InRange(value, 512, 16 * 1024 * 1024, "epsilon.io.tcp.receive-buffer-size");
    }

    /// <summary>Reads per readiness event before the connection yields its loop (and a handler's SuspendReading can act). Defaults to 4. Range 1 to 1024.</summary>
    public int MaxReadsPerWakeup
    {
        get => _maxReadsPerWakeup;
        init => _maxReadsPerWakeup = SettingsGuard.InRange(value, 1, 1024, "epsilon.io.tcp.max-reads-per-wakeup");
    }

    /// <summary>
    /// Unsent <c>Tcp.Write</c> bytes a connection may hold; a write past it gets
    /// <c>Tcp.CommandFailed</c> (a write into an empty queue is always taken). Defaults to 64 MiB.
    /// Range 1 KiB up; <see cref="long.MaxValue"/> (HOCON <c>infinite</c>) means no limit, which is
    /// Akka.NET 1.5's own default.
    /// </summary>
    public long MaxPendingWriteBytes
    {
        get => _maxPendingWriteBytes;
        init => _maxPendingWriteBytes = SettingsGuard.InRange(value, 1024L, long.MaxValue, "epsilon.io.tcp.max-pending-write-bytes");
    }

    /// <summary>
    /// Connections a listener accepts in one turn of its loop before it yields to the loop's other
    /// sockets (through the loop's task queue, as reads do) and continues at once; it stops only
    /// when the kernel has no pending connection left (or, in pull mode, the <c>ResumeAccepting</c>
    /// budget is spent). Akka.IO's own key. Defaults to 64. Range 1 to 4096.
    /// </summary>
    public int BatchAcceptLimit
    {
        get => _batchAcceptLimit;
        init => _batchAcceptLimit = SettingsGuard.InRange(value, 1, 4096, "epsilon.io.tcp.batch-accept-limit");
    }

    /// <summary>Time a new connection waits for <c>Tcp.Register</c> before closing; null: no limit. Defaults to 5 s.</summary>
    public TimeSpan? RegisterTimeout
    {
        get => _registerTimeout;
        init => _registerTimeout = SettingsGuard.PositiveOrInfinite(value, "epsilon.io.tcp.register-timeout");
    }

    /// <summary>Connect timeout when <c>Tcp.Connect</c> gives none; null: the operating system's. Defaults to null (infinite).</summary>
    public TimeSpan? ConnectTimeout
    {
        get => _connectTimeout;
        init => _connectTimeout = SettingsGuard.PositiveOrInfinite(value, "epsilon.io.tcp.connect-timeout");
    }

    /// <summary>TCP_NODELAY on every connection unless an option turns it off. Defaults to true.</summary>
    public bool TcpNoDelay { get; init; } = true;

    /// <summary>SO_REUSEADDR on listeners. Defaults to true.</summary>
    public bool ReuseAddressOnListeners { get; init; } = true;

    /// <summary>Backlog used when <c>Tcp.Bind</c> asks for 0 or less (then raised to <see cref="MinBacklog"/>). Defaults to 4096. Range 1 to 65535.</summary>
    public int DefaultBacklog
    {
        get => _defaultBacklog;
        init => _defaultBacklog = SettingsGuard.InRange(value, 1, 65535, "epsilon.io.tcp.default-backlog");
    }

    /// <summary>
    /// The smallest listen backlog a listener asks the kernel for: a <c>Tcp.Bind</c> gets the larger
    /// of its own backlog and this. Akka's <c>Bind</c> defaults to 100, which cannot be told apart
    /// from an explicit 100, and a burst of connects past a full backlog costs each client a 1–3 s
    /// SYN retransmit. The kernel caps every backlog at <c>net.core.somaxconn</c>
    /// (<c>/proc/sys/net/core/somaxconn</c>: 4096 on Linux 5.4 and later), and so does the listener.
    /// 0 keeps every <c>Bind</c>'s backlog as given (Akka.IO's behaviour). Defaults to 4096. Range 0 to 65535.
    /// </summary>
    public int MinBacklog
    {
        get => _minBacklog;
        init => _minBacklog = SettingsGuard.InRange(value, 0, 65535, "epsilon.io.tcp.min-backlog");
    }

    /// <summary>
    /// These settings as the body of an <c>epsilon.io.tcp</c> section, every key written, which
    /// <see cref="FromConfig"/> reads back to an equal value.
    /// </summary>
    public string ToHocon() => $"""
        receive-buffer-size = {HoconValues.Bytes(ReceiveBufferSize)}
        max-reads-per-wakeup = {MaxReadsPerWakeup}
        max-pending-write-bytes = {(MaxPendingWriteBytes == long.MaxValue ? "infinite" : HoconValues.Bytes(MaxPendingWriteBytes))}
        batch-accept-limit = {BatchAcceptLimit}
        register-timeout = {HoconValues.Duration(RegisterTimeout)}
        connect-timeout = {HoconValues.Duration(ConnectTimeout)}
        tcp-no-delay = {HoconValues.Switch(TcpNoDelay)}
        reuse-address-on-listeners = {HoconValues.Switch(ReuseAddressOnListeners)}
        default-backlog = {DefaultBacklog}
        min-backlog = {MinBacklog}

        """;

    /// <summary>Reads the <c>epsilon.io.tcp</c> section (the section itself).</summary>
    public static EpsilonTcpSettings FromConfig(Config tcp) => new()
    {
        ReceiveBufferSize = checked((int)tcp.GetByteSize("receive-buffer-size")!.Value),
        MaxReadsPerWakeup = tcp.GetInt("max-reads-per-wakeup"),
        MaxPendingWriteBytes = tcp.GetString("max-pending-write-bytes")?.Trim().ToLowerInvariant() is "infinite" or "off"
            ? long.MaxValue
            : tcp.GetByteSize("max-pending-write-bytes")!.Value,
        BatchAcceptLimit = tcp.GetInt("batch-accept-limit"),
        RegisterTimeout = SettingsGuard.DurationOrInfinite(tcp, "register-timeout"),
        ConnectTimeout = SettingsGuard.DurationOrInfinite(tcp, "connect-timeout"),
        TcpNoDelay = tcp.GetBoolean("tcp-no-delay"),
        ReuseAddressOnListeners = tcp.GetBoolean("reuse-address-on-listeners"),
        DefaultBacklog = tcp.GetInt("default-backlog"),
        MinBacklog = tcp.GetInt("min-backlog"),
    };
}
