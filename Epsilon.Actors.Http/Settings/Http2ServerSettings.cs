using Akka.Configuration;
using Epsilon.Actors.Settings;

namespace Epsilon.Actors.Http.Settings;

/// <summary>
/// Limits of the HTTP/2 server (<c>epsilon.http.server.http2</c>), Kestrel's defaults where
/// Kestrel has one, each listed in <c>docs/limits.md</c> and equal to <c>reference.conf</c>'s (a
/// unit test checks it). The SETTINGS this side sends come from here, and so do the flood budgets
/// that end a connection with ENHANCE_YOUR_CALM. Immutable; change with <c>with</c>, which validates.
/// </summary>
public sealed record Http2ServerSettings
{
    private const string Prefix = "epsilon.http.server.http2.";

    private readonly int _maxConcurrentStreams = 100;
    private readonly int _headerTableSize = 4096;
    private readonly int _maxFrameSize = 16384;
    private readonly int _maxHeaderListSize = 32 * 1024;
    private readonly int _initialConnectionWindowSize = 1024 * 1024;
    private readonly int _initialStreamWindowSize = 768 * 1024;
    private readonly int _maxHeaderBlockFrames = 32;
    private readonly int _resetBudget = 200;
    private readonly int _controlFrameBudget = 10000;
    private readonly TimeSpan _floodPeriod = TimeSpan.FromSeconds(1);
    private readonly int _recentlyClosedStreams = 100;
    private readonly TimeSpan? _keepAlivePingInterval;
    private readonly TimeSpan _keepAlivePingTimeout = TimeSpan.FromSeconds(20);

    /// <summary>
    /// SETTINGS_MAX_CONCURRENT_STREAMS: requests a client may have open on one connection at once;
    /// one more is refused with RST_STREAM REFUSED_STREAM (the client retries it). Defaults to 100.
    /// Range 1 to 2^31-1.
    /// </summary>
    public int MaxConcurrentStreams
    {
        get => _maxConcurrentStreams;
        init => _maxConcurrentStreams = SettingsGuard.InRange(value, 1, int.MaxValue, Prefix + "max-concurrent-streams");
    }

    /// <summary>
    /// SETTINGS_HEADER_TABLE_SIZE: the HPACK dynamic table a client may use to compress its
    /// headers (memory per connection). Defaults to 4 KiB (4096). Range 0 to 1 MiB.
    /// </summary>
    public int HeaderTableSize
    {
        get => _headerTableSize;
        init => _headerTableSize = SettingsGuard.InRange(value, 0, 1024 * 1024, Prefix + "header-table-size");
    }

    /// <summary>
    /// SETTINGS_MAX_FRAME_SIZE: the largest frame payload accepted; a larger frame is a
    /// FRAME_SIZE_ERROR. Defaults to 16 KiB (16384, the protocol's minimum). Range 16 KiB to 16 MiB - 1.
    /// </summary>
    public int MaxFrameSize
    {
        get => _maxFrameSize;
        init => _maxFrameSize = SettingsGuard.InRange(value, 16384, 16777215, Prefix + "max-frame-size");
    }

    /// <summary>
    /// SETTINGS_MAX_HEADER_LIST_SIZE: the largest decoded request head (names + values + 32 per
    /// field, RFC 9113 §6.5.2); a larger one is answered with 431 on its stream, the connection
    /// goes on. Defaults to 32 KiB (32768, as HTTP/1.1's max-request-headers-total-size). Range 1 KiB to 16 MiB.
    /// </summary>
    public int MaxHeaderListSize
    {
        get => _maxHeaderListSize;
        init => _maxHeaderListSize = SettingsGuard.InRange(value, 1024, 16 * 1024 * 1024, Prefix + "max-header-list-size");
    }

    /// <summary>
    /// How many request-body bytes a client may send on a connection before the server gives
    /// credit back (announced by WINDOW_UPDATE after the preface). Defaults to 1 MiB (Kestrel's).
    /// Range 65,535 to 2^31-1.
    /// </summary>
    public int InitialConnectionWindowSize
    {
        get => _initialConnectionWindowSize;
        init => _initialConnectionWindowSize = SettingsGuard.InRange(value, 65535, int.MaxValue, Prefix + "initial-connection-window-size");
    }

    /// <summary>
    /// SETTINGS_INITIAL_WINDOW_SIZE: request-body bytes a client may send on one stream before the
    /// handler has read them; credit comes back as the handler reads (back-pressure). Defaults to
    /// 768 KiB (Kestrel's). Range 1 KiB to 2^31-1.
    /// </summary>
    public int InitialStreamWindowSize
    {
        get => _initialStreamWindowSize;
        init => _initialStreamWindowSize = SettingsGuard.InRange(value, 1024, int.MaxValue, Prefix + "initial-stream-window-size");
    }

    /// <summary>
    /// Frames (HEADERS plus CONTINUATIONs) one header block may take; more is a CONTINUATION flood
    /// (CVE-2024-27316), answered with GOAWAY ENHANCE_YOUR_CALM. Defaults to 32. Range 1 to 10,000.
    /// </summary>
    public int MaxHeaderBlockFrames
    {
        get => _maxHeaderBlockFrames;
        init => _maxHeaderBlockFrames = SettingsGuard.InRange(value, 1, 10_000, Prefix + "max-header-block-frames");
    }

    /// <summary>
    /// Stream resets a client may cause per <see cref="FloodPeriod"/>, its own RST_STREAMs and the
    /// ones its bad frames provoke counted together (rapid reset, CVE-2023-44487; "MadeYouReset");
    /// past it the connection ends with ENHANCE_YOUR_CALM. Defaults to 200. Range 1 to 1,000,000.
    /// </summary>
    public int ResetBudget
    {
        get => _resetBudget;
        init => _resetBudget = SettingsGuard.InRange(value, 1, 1_000_000, Prefix + "reset-budget");
    }

    /// <summary>
    /// Control frames a client may send per <see cref="FloodPeriod"/> (SETTINGS, PING, PRIORITY,
    /// PRIORITY_UPDATE, WINDOW_UPDATE, empty DATA); past it the connection ends with
    /// ENHANCE_YOUR_CALM (the floods of CVE-2019-9512 to 9518). Defaults to 10,000. Range 1 to 10,000,000.
    /// </summary>
    public int ControlFrameBudget
    {
        get => _controlFrameBudget;
        init => _controlFrameBudget = SettingsGuard.InRange(value, 1, 10_000_000, Prefix + "control-frame-budget");
    }

    /// <summary>The time in which the reset and control-frame budgets refill completely. Defaults to 1 s. Range 1 ms to 1 hour.</summary>
    public TimeSpan FloodPeriod
    {
        get => _floodPeriod;
        init => _floodPeriod = SettingsGuard.InRange(value, TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1), Prefix + "flood-period");
    }

    /// <summary>
    /// Closed streams remembered with how they closed, so a frame that arrives late is answered as
    /// RFC 9113 §5.1 says (ignored after the server's reset, STREAM_CLOSED after the client's).
    /// Defaults to 100. Range 0 to 100,000.
    /// </summary>
    public int RecentlyClosedStreams
    {
        get => _recentlyClosedStreams;
        init => _recentlyClosedStreams = SettingsGuard.InRange(value, 0, 100_000, Prefix + "recently-closed-streams");
    }

    /// <summary>
    /// How long a connection may be silent before the server sends a PING to check the client is
    /// there; null (HOCON <c>off</c>) never pings. Defaults to off (as Kestrel).
    /// </summary>
    public TimeSpan? KeepAlivePingInterval
    {
        get => _keepAlivePingInterval;
        init => _keepAlivePingInterval = SettingsGuard.PositiveOrInfinite(value, Prefix + "keep-alive-ping-interval");
    }

    /// <summary>How long the server waits for a keep-alive PING's ACK before closing the connection. Defaults to 20 s (Kestrel's). Range 1 ms to 1 hour.</summary>
    public TimeSpan KeepAlivePingTimeout
    {
        get => _keepAlivePingTimeout;
        init => _keepAlivePingTimeout = SettingsGuard.InRange(value, TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1), Prefix + "keep-alive-ping-timeout");
    }

    /// <summary>These settings as the body of an <c>epsilon.http.server.http2</c> section, which <see cref="FromConfig"/> reads back to an equal value.</summary>
    public string ToHocon() => $"""
        max-concurrent-streams = {MaxConcurrentStreams}
        header-table-size = {HoconValues.Bytes(HeaderTableSize)}
        max-frame-size = {HoconValues.Bytes(MaxFrameSize)}
        max-header-list-size = {HoconValues.Bytes(MaxHeaderListSize)}
        initial-connection-window-size = {HoconValues.Bytes(InitialConnectionWindowSize)}
        initial-stream-window-size = {HoconValues.Bytes(InitialStreamWindowSize)}
        max-header-block-frames = {MaxHeaderBlockFrames}
        reset-budget = {ResetBudget}
        control-frame-budget = {ControlFrameBudget}
        flood-period = {HoconValues.Duration(FloodPeriod)}
        recently-closed-streams = {RecentlyClosedStreams}
        keep-alive-ping-interval = {HoconValues.Duration(KeepAlivePingInterval)}
        keep-alive-ping-timeout = {HoconValues.Duration(KeepAlivePingTimeout)}

        """;

    /// <summary>Reads the <c>epsilon.http.server.http2</c> section (the section itself).</summary>
    /// <exception cref="ArgumentException">a value is out of range; the message names its key.</exception>
    public static Http2ServerSettings FromConfig(Config http2) => new()
    {
        MaxConcurrentStreams = http2.GetInt("max-concurrent-streams"),
        HeaderTableSize = checked((int)http2.GetByteSize("header-table-size")!.Value),
        MaxFrameSize = checked((int)http2.GetByteSize("max-frame-size")!.Value),
        MaxHeaderListSize = checked((int)http2.GetByteSize("max-header-list-size")!.Value),
        InitialConnectionWindowSize = checked((int)http2.GetByteSize("initial-connection-window-size")!.Value),
        InitialStreamWindowSize = checked((int)http2.GetByteSize("initial-stream-window-size")!.Value),
        MaxHeaderBlockFrames = http2.GetInt("max-header-block-frames"),
        ResetBudget = http2.GetInt("reset-budget"),
        ControlFrameBudget = http2.GetInt("control-frame-budget"),
        FloodPeriod = http2.GetTimeSpan("flood-period"),
        RecentlyClosedStreams = http2.GetInt("recently-closed-streams"),
        KeepAlivePingInterval = SettingsGuard.DurationOrInfinite(http2, "keep-alive-ping-interval"),
        KeepAlivePingTimeout = http2.GetTimeSpan("keep-alive-ping-timeout"),
    };
}
