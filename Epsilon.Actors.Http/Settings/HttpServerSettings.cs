using Akka.Configuration;
using Epsilon.Actors.Settings;

namespace Epsilon.Actors.Http.Settings;

/// <summary>
/// Limits and timeouts of the HTTP server (<c>epsilon.http.server</c>), Kestrel's defaults where
/// Kestrel has one. Immutable; change with <c>with</c>, which validates, so a copy is never
/// invalid. Every default here equals <c>reference.conf</c>'s (a unit test checks it) and is
/// listed in <c>docs/limits.md</c>. Thread-safe (immutable).
/// </summary>
public sealed record HttpServerSettings
{
    private readonly int _maxRequestLineSize = 8 * 1024;
    private readonly int _maxRequestHeadersTotalSize = 32 * 1024;
    private readonly int _maxRequestHeaderCount = 100;
    private readonly long? _maxRequestBodySize = 30_000_000;
    private readonly int _maxChunkExtensionSize = 4 * 1024;
    private readonly TimeSpan _requestHeadersTimeout = TimeSpan.FromSeconds(30);
    private readonly double? _minRequestBodyDataRate = 240;
    private readonly TimeSpan _minRequestBodyDataRateGracePeriod = TimeSpan.FromSeconds(5);
    private readonly TimeSpan _keepAliveTimeout = TimeSpan.FromSeconds(130);
    private readonly TimeSpan _prefaceTimeout = TimeSpan.FromSeconds(10);
    private readonly long? _maxConcurrentConnections;
    private readonly int _maxPipelinedRequests = 16;
    private readonly string? _serverHeader;
    private readonly int _strictRequestBodySize = 64 * 1024;
    private readonly long _maxRequestBodyDrainSize = 1024 * 1024;
    private readonly int _inlineResponseBodySize = 16 * 1024;
    private readonly TimeSpan _lingerTimeout = TimeSpan.FromSeconds(2);
    private readonly int _listenBacklog = 4096;

    /// <summary>
    /// Longest request line (method, target and version, without its CRLF) in bytes; a longer one
    /// is answered with 414 URI Too Long. Defaults to 8 KiB (8192). Range 64 B to 1 MiB.
    /// </summary>
    public int MaxRequestLineSize
    {
        get => _maxRequestLineSize;
        init => _maxRequestLineSize = SettingsGuard.InRange(value, 64, 1024 * 1024, "epsilon.http.server.max-request-line-size");
    }

    /// <summary>
    /// Most bytes of header field lines in one request, each line counted with its CRLF (the
    /// request line and the final empty line not counted); more is answered with 431 Request
    /// Header Fields Too Large. The trailer section of a chunked body has the same budget of its
    /// own. Defaults to 32 KiB (32768). Range 256 B to 16 MiB.
    /// </summary>
    public int MaxRequestHeadersTotalSize
    {
        get => _maxRequestHeadersTotalSize;
        init => _maxRequestHeadersTotalSize = SettingsGuard.InRange(value, 256, 16 * 1024 * 1024, "epsilon.http.server.max-request-headers-total-size");
    }

    /// <summary>
    /// Most header field lines in one request; one more is answered with 431. The trailer
    /// section has the same limit of its own. Defaults to 100. Range 1 to 10,000.
    /// </summary>
    public int MaxRequestHeaderCount
    {
        get => _maxRequestHeaderCount;
        init => _maxRequestHeaderCount = SettingsGuard.InRange(value, 1, 10_000, "epsilon.http.server.max-request-header-count");
    }

    /// <summary>
    /// Largest request body in bytes, decoded (chunk framing not counted); a larger
    /// <c>Content-Length</c> is answered with 413 Content Too Large before any body byte is
    /// read, and a chunked body is answered with 413 as soon as it goes past. Null (HOCON
    /// <c>infinite</c>): no limit. Defaults to 30,000,000 bytes (about 28.6 MiB, Kestrel's).
    /// Range 0 up.
    /// </summary>
    public long? MaxRequestBodySize
    {
        get => _maxRequestBodySize;
        init => _maxRequestBodySize = value is { } v ? SettingsGuard.InRange(v, 0L, long.MaxValue, "epsilon.http.server.max-request-body-size") : null;
    }

    /// <summary>
    /// Most bytes of chunk extensions in one chunked request body, added over all its chunk-size
    /// lines (everything after the hex size, whitespace included); more is answered with 400.
    /// Extensions are checked for control characters and otherwise ignored; clients rarely send
    /// any. Per body rather than per line, so many tiny chunks cannot carry unbounded extension
    /// bytes. Defaults to 4 KiB (4096). Range 16 B to 1 MiB.
    /// </summary>
    public int MaxChunkExtensionSize
    {
        get => _maxChunkExtensionSize;
        init => _maxChunkExtensionSize = SettingsGuard.InRange(value, 16, 1024 * 1024, "epsilon.http.server.max-chunk-extension-size");
    }

    /// <summary>
    /// Time from the first byte of a request to the end of its header section; past it the
    /// server answers 408 Request Timeout and closes. Defaults to 30 s. Must be positive.
    /// </summary>
    public TimeSpan RequestHeadersTimeout
    {
        get => _requestHeadersTimeout;
        init => _requestHeadersTimeout = SettingsGuard.PositiveOrInfinite(value, "epsilon.http.server.request-headers-timeout")!.Value;
    }

    /// <summary>
    /// Slowest accepted request-body upload in bytes per second, averaged over the time the
    /// server is actually waiting for body bytes (not while the application back-pressures),
    /// once <see cref="MinRequestBodyDataRateGracePeriod"/> has passed. A slower client gets 408
    /// (or, when the response has started, the connection is aborted). Null (HOCON <c>off</c>):
    /// no minimum. Defaults to 240 bytes/s (Kestrel's). Range 1 to 1 GB/s.
    /// </summary>
    public double? MinRequestBodyDataRate
    {
        get => _minRequestBodyDataRate;
        init => _minRequestBodyDataRate = value is { } v ? SettingsGuard.InRange(v, 1d, 1e9, "epsilon.http.server.min-request-body-data-rate") : null;
    }

    /// <summary>
    /// How long a body upload may run before <see cref="MinRequestBodyDataRate"/> is enforced.
    /// Defaults to 5 s (Kestrel's). Range 1 s to 1 hour (Kestrel also refuses less than 1 s).
    /// </summary>
    public TimeSpan MinRequestBodyDataRateGracePeriod
    {
        get => _minRequestBodyDataRateGracePeriod;
        init => _minRequestBodyDataRateGracePeriod = SettingsGuard.InRange(value, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), "epsilon.http.server.min-request-body-data-rate-grace-period");
    }

    /// <summary>
    /// How long a persistent connection may sit idle (no request in progress, no response
    /// pending) before the server closes it without a response; also the wait for the first
    /// request on a new connection. Defaults to 130 s (Kestrel's). Must be positive.
    /// </summary>
    public TimeSpan KeepAliveTimeout
    {
        get => _keepAliveTimeout;
        init => _keepAliveTimeout = SettingsGuard.PositiveOrInfinite(value, "epsilon.http.server.keep-alive-timeout")!.Value;
    }

    /// <summary>
    /// How long the protocol switch waits on a cleartext connection for enough bytes to tell a
    /// protocol's preface (HTTP/2 with prior knowledge: <c>PRI * HTTP/2.0</c>…) from HTTP/1.1;
    /// past it, HTTP/1.1 takes the connection with what was read, and its own timers apply. Only
    /// in effect while a protocol chosen by preface is served (none is until HTTP/2 lands: a
    /// preface is then answered 505 by HTTP/1.1, as any unknown version). Defaults to 10 s.
    /// Range 10 ms to 1 hour.
    /// </summary>
    public TimeSpan PrefaceTimeout
    {
        get => _prefaceTimeout;
        init => _prefaceTimeout = SettingsGuard.InRange(value, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1), "epsilon.http.server.preface-timeout");
    }

    /// <summary>
    /// Most connections one listener serves at once; further ones are accepted and closed at
    /// once. Null (HOCON <c>infinite</c>): no limit. Defaults to null (unlimited, like Kestrel).
    /// Range 1 up.
    /// </summary>
    public long? MaxConcurrentConnections
    {
        get => _maxConcurrentConnections;
        init => _maxConcurrentConnections = value is { } v ? SettingsGuard.InRange(v, 1L, long.MaxValue, "epsilon.http.server.max-concurrent-connections") : null;
    }

    /// <summary>
    /// HTTP/1.1 pipelining: the server handles a connection's requests one at a time, in order,
    /// and this bounds how many rendered responses may wait for the socket before it stops
    /// parsing the client's further (already received) requests, so a client that pipelines
    /// without reading cannot make the server queue without bound. Also sizes the state
    /// machine's table of pending exchanges. Defaults to 16. Range 1 to 1024.
    /// </summary>
    public int MaxPipelinedRequests
    {
        get => _maxPipelinedRequests;
        init => _maxPipelinedRequests = SettingsGuard.InRange(value, 1, 1024, "epsilon.http.server.max-pipelined-requests");
    }

    /// <summary>
    /// Whether responses carry a <c>Date</c> header (RFC 9110 §6.6.1: an origin server with a
    /// clock MUST send it for 2xx, 3xx and 4xx). Defaults to true.
    /// </summary>
    public bool AddDateHeader { get; init; } = true;

    /// <summary>
    /// The value of the <c>Server</c> header added to every response (unless the application
    /// sets its own), or null for none: naming the software helps attackers more than clients
    /// (RFC 9110 §10.2.4). Must hold no control character. Defaults to null (no header).
    /// </summary>
    public string? ServerHeader
    {
        get => _serverHeader;
        init => _serverHeader = string.IsNullOrEmpty(value) ? null
            : value.Any(c => c < 0x20 || c == 0x7F || c > 0xFF) ? throw new ArgumentException("epsilon.http.server.server-header must be printable Latin-1 text", nameof(value))
            : value;
    }

    /// <summary>
    /// Largest request body, in bytes, that is handed to the handler strict
    /// (<see cref="Model.HttpEntity.Strict"/>) when it is framed by <c>Content-Length</c> and has
    /// already arrived with its head; a larger or later body is streamed to the handler as it is
    /// read. Raising it saves the handler a stream for mid-size uploads at the cost of holding
    /// them whole. Defaults to 64 KiB (65536). Range 0 (always stream) to 16 MiB.
    /// </summary>
    public int StrictRequestBodySize
    {
        get => _strictRequestBodySize;
        init => _strictRequestBodySize = SettingsGuard.InRange(value, 0, 16 * 1024 * 1024, "epsilon.http.server.strict-request-body-size");
    }

    /// <summary>
    /// Most bytes of a request body that the handler left unread which the server reads and
    /// drops after the response, to keep the connection alive for the next request; when more
    /// remains, the response says <c>Connection: close</c> and the connection is closed instead.
    /// Defaults to 1 MiB (1048576). Range 0 (never drain) to 1 GiB.
    /// </summary>
    public long MaxRequestBodyDrainSize
    {
        get => _maxRequestBodyDrainSize;
        init => _maxRequestBodyDrainSize = SettingsGuard.InRange(value, 0L, 1024L * 1024 * 1024, "epsilon.http.server.max-request-body-drain-size");
    }

    /// <summary>
    /// Largest strict response body, in bytes, that is copied behind the response head into one
    /// write; a larger body follows the head as its own write, without a copy. Defaults to
    /// 16 KiB (16384). Range 0 (never copy) to 1 MiB.
    /// </summary>
    public int InlineResponseBodySize
    {
        get => _inlineResponseBodySize;
        init => _inlineResponseBodySize = SettingsGuard.InRange(value, 0, 1024 * 1024, "epsilon.http.server.inline-response-body-size");
    }

    /// <summary>
    /// How long a connection the server is closing keeps reading and dropping the client's input
    /// after its last response was written (and its FIN sent), so that unread client bytes do
    /// not turn the close into a reset that could destroy that response in flight; it closes
    /// earlier when the client closes. Defaults to 2 s. Range 1 ms to 10 min.
    /// </summary>
    public TimeSpan LingerTimeout
    {
        get => _lingerTimeout;
        init => _lingerTimeout = SettingsGuard.InRange(value, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(10), "epsilon.http.server.linger-timeout");
    }

    /// <summary>
    /// Length of the listening socket's queue of connections the kernel has established but the
    /// server has not yet accepted (<c>listen(2)</c>'s backlog); when it is full the kernel drops
    /// new SYNs and clients retry after 1 s or more. The kernel silently caps it at
    /// <c>net.core.somaxconn</c> on Linux (4096 by default since Linux 5.4, 128 before), so a
    /// larger value needs that sysctl raised too. Defaults to 4096. Range 1 to 65535.
    /// </summary>
    public int ListenBacklog
    {
        get => _listenBacklog;
        init => _listenBacklog = SettingsGuard.InRange(value, 1, 65535, "epsilon.http.server.listen-backlog");
    }

    /// <summary>
    /// Where an <see cref="Server.HttpHandler"/> bound with <c>Bind(HttpHandler)</c> (routes,
    /// middleware pipelines, functions) is called. A connection's TCP, TLS and HTTP stages run on
    /// the event loop that owns its socket; the handler by default does not:
    /// <list type="bullet">
    /// <item><c>""</c> (the default): Akka's default dispatcher, where Akka users expect their code;
    /// a handler that blocks holds a thread of that pool, never the loop.</item>
    /// <item><c>"loop"</c>: inline on the connection's loop thread, no thread hop (the fastest).
    /// The handler then shares its thread with every connection of that loop: it must never block
    /// (no <c>Thread.Sleep</c>, no waiting on tasks, locks or I/O) and should be quick. An explicit
    /// opt-in, never the default.</item>
    /// <item>any other value: the id of an Akka dispatcher configured in the actor system (for
    /// example a <c>ForkJoinDispatcher</c> of its own for handlers that block); an unknown id fails
    /// the bind.</item>
    /// </list>
    /// A bound <c>Flow&lt;HttpRequest, HttpResponse&gt;</c> and an actor handler are not affected:
    /// they run on their own dispatchers (the flow's materializer, the actor's props) as Akka users
    /// expect. Defaults to <c>""</c>.
    /// </summary>
    public string HandlerDispatcher
    {
        get => _handlerDispatcher;
        init => _handlerDispatcher = value?.Trim() ?? throw new ArgumentNullException(nameof(value), "epsilon.http.server.handler-dispatcher must not be null; use \"\" for Akka's default dispatcher");
    }

    private readonly string _handlerDispatcher = "";

    /// <summary>The HTTP/2 limits (<c>epsilon.http.server.http2</c>); see <see cref="Http2ServerSettings"/>.</summary>
    public Http2ServerSettings Http2
    {
        get => _http2;
        init => _http2 = value ?? throw new ArgumentNullException(nameof(value), "epsilon.http.server.http2 must not be null");
    }

    private readonly Http2ServerSettings _http2 = new();

    /// <summary>
    /// These settings as the body of an <c>epsilon.http.server</c> section, every key written,
    /// which <see cref="FromConfig"/> reads back to an equal value (null limits as
    /// <c>infinite</c>/<c>off</c>, no server header as <c>""</c>).
    /// </summary>
    public string ToHocon() => $"""
        max-request-line-size = {HoconValues.Bytes(MaxRequestLineSize)}
        max-request-headers-total-size = {HoconValues.Bytes(MaxRequestHeadersTotalSize)}
        max-request-header-count = {MaxRequestHeaderCount}
        max-request-body-size = {HoconValues.Bytes(MaxRequestBodySize)}
        max-chunk-extension-size = {HoconValues.Bytes(MaxChunkExtensionSize)}
        request-headers-timeout = {HoconValues.Duration(RequestHeadersTimeout)}
        min-request-body-data-rate = {HoconValues.Number(MinRequestBodyDataRate)}
        min-request-body-data-rate-grace-period = {HoconValues.Duration(MinRequestBodyDataRateGracePeriod)}
        keep-alive-timeout = {HoconValues.Duration(KeepAliveTimeout)}
        preface-timeout = {HoconValues.Duration(PrefaceTimeout)}
        max-concurrent-connections = {HoconValues.Number(MaxConcurrentConnections)}
        max-pipelined-requests = {MaxPipelinedRequests}
        add-date-header = {HoconValues.Switch(AddDateHeader)}
        server-header = {HoconValues.Quote(ServerHeader ?? "")}
        strict-request-body-size = {HoconValues.Bytes(StrictRequestBodySize)}
        max-request-body-drain-size = {HoconValues.Bytes(MaxRequestBodyDrainSize)}
        inline-response-body-size = {HoconValues.Bytes(InlineResponseBodySize)}
        linger-timeout = {HoconValues.Duration(LingerTimeout)}
        listen-backlog = {ListenBacklog}
        handler-dispatcher = {HoconValues.Quote(HandlerDispatcher)}

        """ + "http2 {\n" + Http2.ToHocon() + "}\n";

    /// <summary>Reads the <c>epsilon.http.server</c> section (the section itself).</summary>
    /// <exception cref="ArgumentException">a value is out of range; the message names its key.</exception>
    public static HttpServerSettings FromConfig(Config server) => new()
    {
        MaxRequestLineSize = checked((int)server.GetByteSize("max-request-line-size")!.Value),
        MaxRequestHeadersTotalSize = checked((int)server.GetByteSize("max-request-headers-total-size")!.Value),
        MaxRequestHeaderCount = server.GetInt("max-request-header-count"),
        MaxRequestBodySize = IsOff(server, "max-request-body-size") ? null : server.GetByteSize("max-request-body-size")!.Value,
        MaxChunkExtensionSize = checked((int)server.GetByteSize("max-chunk-extension-size")!.Value),
        RequestHeadersTimeout = server.GetTimeSpan("request-headers-timeout"),
        MinRequestBodyDataRate = IsOff(server, "min-request-body-data-rate") ? null : server.GetDouble("min-request-body-data-rate"),
        MinRequestBodyDataRateGracePeriod = server.GetTimeSpan("min-request-body-data-rate-grace-period"),
        KeepAliveTimeout = server.GetTimeSpan("keep-alive-timeout"),
        PrefaceTimeout = server.GetTimeSpan("preface-timeout"),
        MaxConcurrentConnections = IsOff(server, "max-concurrent-connections") ? null : server.GetLong("max-concurrent-connections"),
        MaxPipelinedRequests = server.GetInt("max-pipelined-requests"),
        AddDateHeader = server.GetBoolean("add-date-header"),
        ServerHeader = server.HasPath("server-header") ? server.GetString("server-header") : null,
        StrictRequestBodySize = checked((int)server.GetByteSize("strict-request-body-size")!.Value),
        MaxRequestBodyDrainSize = server.GetByteSize("max-request-body-drain-size")!.Value,
        InlineResponseBodySize = checked((int)server.GetByteSize("inline-response-body-size")!.Value),
        LingerTimeout = server.GetTimeSpan("linger-timeout"),
        ListenBacklog = server.GetInt("listen-backlog"),
        HandlerDispatcher = server.GetString("handler-dispatcher", "") ?? "",
        Http2 = Http2ServerSettings.FromConfig(server.GetConfig("http2")),
    };

    private static bool IsOff(Config config, string key) =>
        config.GetString(key)?.Trim().ToLowerInvariant() is null or "" or "infinite" or "off" or "inf";
}
