namespace Epsilon.Actors.Http.Http2;

/// <summary>
/// The limits one HTTP/2 connection enforces (the values of <c>epsilon.http.server.http2</c>;
/// see docs/limits.md). Defaults follow Kestrel where it has an equivalent.
/// </summary>
internal sealed record Http2Limits
{
    /// <summary>SETTINGS_MAX_CONCURRENT_STREAMS: streams the peer may have open at once (100).</summary>
    public int MaxConcurrentStreams { get; init; } = 100;

    /// <summary>SETTINGS_HEADER_TABLE_SIZE: the HPACK decoder's dynamic table (4 KiB).</summary>
    public int HeaderTableSize { get; init; } = 4096;

    /// <summary>SETTINGS_MAX_FRAME_SIZE: the largest frame payload accepted (16 KiB, the minimum).</summary>
    public int MaxFrameSize { get; init; } = 16384;

    /// <summary>SETTINGS_MAX_HEADER_LIST_SIZE: the largest decoded header list, RFC 9113 §6.5.2 accounting (32 KiB).</summary>
    public int MaxHeaderListSize { get; init; } = 32 * 1024;

    /// <summary>The connection's receive window, announced by a WINDOW_UPDATE after the preface (1 MiB).</summary>
    public int InitialConnectionWindowSize { get; init; } = 1024 * 1024;

    /// <summary>SETTINGS_INITIAL_WINDOW_SIZE: each stream's receive window (768 KiB).</summary>
    public int InitialStreamWindowSize { get; init; } = 768 * 1024;

    /// <summary>Header block frames (HEADERS plus CONTINUATIONs) allowed in one block: more is a CONTINUATION flood (CVE-2024-27316).</summary>
    public int MaxHeaderBlockFrames { get; init; } = 32;

    /// <summary>Streams the peer may reset (or provoke this side to reset) at once, refilled per <see cref="FloodPeriod"/> (200).</summary>
    public int ResetBudget { get; init; } = 200;

    /// <summary>Unsolicited control frames (SETTINGS, PING, PRIORITY, PRIORITY_UPDATE, empty DATA, WINDOW_UPDATE) at once, refilled per <see cref="FloodPeriod"/> (10,000).</summary>
    public int ControlFrameBudget { get; init; } = 10000;

    /// <summary>The time in which a flood budget refills (1 s).</summary>
    public TimeSpan FloodPeriod { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Closed streams remembered with how they closed (100), so a late frame is answered as §5.1 says:
    /// ignored after this side's RST_STREAM, STREAM_CLOSED after the peer's, a connection error after both ends.
    /// </summary>
    public int RecentlyClosedStreams { get; init; } = 100;
}
