using Akka.Configuration;
using Epsilon.Actors.Settings;

namespace Epsilon.Actors.Io.Udp;

/// <summary>
/// UDP limits and defaults (<c>epsilon.io.udp</c>). Immutable; change with <c>with</c>, which
/// validates. Every default here equals <c>reference.conf</c>'s.
/// </summary>
/// <remarks>
/// There is no receive-size setting on purpose: every datagram is read into a 64 KiB buffer, so
/// any datagram IPv4 or IPv6 can carry (up to 65,507 or 65,527 bytes) is delivered whole.
/// </remarks>
public sealed record EpsilonUdpSettings
{
    private readonly int _maxDatagramsPerWakeup = 16;
    private readonly int _maxPendingSends = 1024;

    /// <summary>
    /// Datagrams read for one readiness event (one <c>Received</c> each) before the socket yields
    /// its loop to others; it continues right after, so this bounds latency for neighbours, not
    /// throughput. Defaults to 16. Range 1 to 1024.
    /// </summary>
    public int MaxDatagramsPerWakeup
    {
        get => _maxDatagramsPerWakeup;
        init => _maxDatagramsPerWakeup = SettingsGuard.InRange(value, 1, 1024, "epsilon.io.udp.max-datagrams-per-wakeup");
    }

    /// <summary>
    /// Datagrams a socket holds while the kernel's send buffer is full (they are sent, in order,
    /// as soon as it has room); a <c>Send</c> past it is answered with <c>CommandFailed</c>.
    /// Nothing is ever dropped silently on the sending side. Defaults to 1024. Range 1 to 1,048,576.
    /// </summary>
    public int MaxPendingSends
    {
        get => _maxPendingSends;
        init => _maxPendingSends = SettingsGuard.InRange(value, 1, 1 << 20, "epsilon.io.udp.max-pending-sends");
    }

    /// <summary>
    /// These settings as the body of an <c>epsilon.io.udp</c> section, every key written, which
    /// <see cref="FromConfig"/> reads back to an equal value.
    /// </summary>
    public string ToHocon() => $"""
        max-datagrams-per-wakeup = {MaxDatagramsPerWakeup}
        max-pending-sends = {MaxPendingSends}

        """;

    /// <summary>Reads the <c>epsilon.io.udp</c> section (the section itself).</summary>
    public static EpsilonUdpSettings FromConfig(Config udp) => new()
    {
        MaxDatagramsPerWakeup = udp.GetInt("max-datagrams-per-wakeup", 16),
        MaxPendingSends = udp.GetInt("max-pending-sends", 1024),
    };
}
