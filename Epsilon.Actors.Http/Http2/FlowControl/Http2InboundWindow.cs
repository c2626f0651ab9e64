namespace Epsilon.Actors.Http.Http2.FlowControl;

/// <summary>
/// The credit this side gives the peer on one stream or on the connection (RFC 9113 §6.9). DATA
/// received uses it up; credit goes back only as the application consumes the bytes (so a slow
/// handler slows its sender: back-pressure), and is announced with WINDOW_UPDATE once at least half
/// of the window is owed, not for every read (as Kestrel and nghttp2 do). Receiving more than the
/// window allows is a FLOW_CONTROL_ERROR.
/// </summary>
internal struct Http2InboundWindow
{
    private readonly int _size;
    private long _available;
    private long _owed;

    /// <summary>A window of <paramref name="size"/> octets, all of it announced (the initial window, or the initial plus a WINDOW_UPDATE sent at once).</summary>
    public Http2InboundWindow(int size)
    {
        _size = size;
        _available = size;
    }

    /// <summary>Octets the peer may still send.</summary>
    public readonly long Available => _available;

    /// <summary>Consumed octets not yet given back with WINDOW_UPDATE.</summary>
    public readonly long Owed => _owed;

    /// <summary>DATA of <paramref name="length"/> octets (padding included) arrived; false if it exceeds the window.</summary>
    public bool TryReceive(int length)
    {
        if (length > _available) return false;
        _available -= length;
        return true;
    }

    /// <summary>
    /// The application consumed <paramref name="length"/> octets (or they were discarded: padding,
    /// a reset stream's data). Returns the WINDOW_UPDATE increment to send now, or 0 to wait.
    /// </summary>
    public int OnConsumed(int length)
    {
        _owed += length;
        if (_owed < (_size + 1) / 2) return 0;
        var increment = (int)_owed;
        _owed = 0;
        _available += increment;
        return increment;
    }

    /// <summary>Gives back everything owed now, whatever the threshold; returns the increment (0 when nothing is owed).</summary>
    public int Flush()
    {
        var increment = (int)_owed;
        _owed = 0;
        _available += increment;
        return increment;
    }
}
