namespace Epsilon.Actors.Http.Http2.FlowControl;

/// <summary>
/// The credit the peer gives this side to send DATA on one stream or on the connection (RFC 9113
/// §6.9): consumed by each DATA payload (padding included), raised by WINDOW_UPDATE, and moved by
/// a change of SETTINGS_INITIAL_WINDOW_SIZE (stream windows only, §6.9.2), which may leave it
/// negative. It may never exceed 2^31-1: that is a FLOW_CONTROL_ERROR.
/// </summary>
internal struct Http2OutboundWindow
{
    /// <summary>The largest window (§6.9.1).</summary>
    public const int MaxSize = int.MaxValue;

    /// <summary>The initial window of a connection and of every stream until SETTINGS say otherwise.</summary>
    public const int DefaultInitialSize = 65535;

    private long _available;

    /// <summary>A window of <paramref name="initial"/> octets.</summary>
    public Http2OutboundWindow(int initial) => _available = initial;

    /// <summary>Octets that may be sent now; zero or less means wait for WINDOW_UPDATE.</summary>
    public readonly long Available => _available;

    /// <summary>The most of <paramref name="wanted"/> octets that may be sent now (never negative).</summary>
    public readonly int Allowed(int wanted) => (int)Math.Clamp(_available, 0, wanted);

    /// <summary>Takes <paramref name="length"/> octets of credit; the caller sends no more than <see cref="Allowed"/>.</summary>
    public void Consume(int length)
    {
        if (length < 0 || length > _available) throw new InvalidOperationException($"Consuming {length} octets of a window of {_available}.");
        _available -= length;
    }

    /// <summary>Applies a WINDOW_UPDATE; false when the window would exceed 2^31-1 (a FLOW_CONTROL_ERROR, §6.9.1).</summary>
    public bool TryIncrease(int increment)
    {
        if (_available + increment > MaxSize) return false;
        _available += increment;
        return true;
    }

    /// <summary>Applies a change of SETTINGS_INITIAL_WINDOW_SIZE (new minus old); false when the window would exceed 2^31-1 (§6.9.2).</summary>
    public bool TryAdjust(long delta)
    {
        if (_available + delta > MaxSize) return false;
        _available += delta;
        return true;
    }
}
