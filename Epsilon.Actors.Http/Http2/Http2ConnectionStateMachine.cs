using Epsilon.Actors.Http.Http2.FlowControl;
using Epsilon.Actors.Http.Http2.Frames;
using Epsilon.Actors.Http.Http2.Priority;
using Epsilon.Actors.Http.Settings;

namespace Epsilon.Actors.Http.Http2;

/// <summary>
/// The server's side of one HTTP/2 connection as a pure state machine (RFC 9113 §5, §6): the
/// stream table and the stream states of §5.1, stream-id rules, concurrency limits, header block
/// sequencing, both directions of flow control, the peer's SETTINGS, GOAWAY, and the flood budgets
/// that defend against rapid reset, CONTINUATION and control-frame floods. Frames in, decisions
/// out; no I/O, no clock (timestamps are arguments).
/// </summary>
/// <remarks>
/// Errors: a connection error is thrown as <see cref="Http2Exception"/> (answer GOAWAY and close).
/// A stream error in HEADERS or DATA comes back in the decision (the header block must still be
/// decoded; the flow-control credit still returned); in other frames it is thrown with its stream
/// id. Either way the stream is already closed here when the caller hears of it.
/// </remarks>
internal sealed partial class Http2ConnectionStateMachine
{
    private readonly Http2ServerSettings _limits;
    private readonly Dictionary<int, Stream> _streams = [];
    private readonly Dictionary<int, ClosedHow> _closed = [];
    private readonly Queue<int> _closedOrder = new();
    private readonly Dictionary<int, Http2StreamPriority> _earlyPriorities = [];
    private Http2OutboundWindow _sendWindow = new(Http2OutboundWindow.DefaultInitialSize);
    private Http2InboundWindow _receiveWindow;
    private Http2FloodBudget _resets;
    private Http2FloodBudget _controlFrames;
    private int _lastPeerStream;
    private int _lastPushStream;
    private int _peerStreams;
    private int _pushStreams;
    private int _goAwayLastStream = -1;

    // The header block being received (HEADERS without END_HEADERS, then CONTINUATIONs).
    private int _blockStream;
    private int _blockFrames;

    /// <summary>A connection with <paramref name="limits"/>; the connection receive window is <see cref="Http2ServerSettings.InitialConnectionWindowSize"/> (the caller announces it after the preface).</summary>
    public Http2ConnectionStateMachine(Http2ServerSettings limits)
    {
        _limits = limits;
        _receiveWindow = new Http2InboundWindow(limits.InitialConnectionWindowSize);
        _resets = new Http2FloodBudget(limits.ResetBudget, limits.FloodPeriod);
        _controlFrames = new Http2FloodBudget(limits.ControlFrameBudget, limits.FloodPeriod);
    }

    private enum ClosedHow
    {
        BothEnded,
        ResetByPeer,
        ResetByUs,
    }

    /// <summary>The peer's SETTINGS_INITIAL_WINDOW_SIZE (65,535 until it says otherwise).</summary>
    public int PeerInitialWindowSize { get; private set; } = Http2OutboundWindow.DefaultInitialSize;

    /// <summary>The peer's SETTINGS_MAX_FRAME_SIZE: the largest frame this side may send.</summary>
    public int PeerMaxFrameSize { get; private set; } = Http2FrameHeader.MinMaxFrameSize;

    /// <summary>The peer's SETTINGS_MAX_CONCURRENT_STREAMS: the most pushed streams open at once.</summary>
    public uint PeerMaxConcurrentStreams { get; private set; } = uint.MaxValue;

    /// <summary>The peer's SETTINGS_HEADER_TABLE_SIZE, for the HPACK encoder.</summary>
    public int PeerHeaderTableSize { get; private set; } = 4096;

    /// <summary>Whether the peer allows server push (SETTINGS_ENABLE_PUSH).</summary>
    public bool PeerEnablesPush { get; private set; } = true;

    /// <summary>The highest stream id the peer has opened (or tried to).</summary>
    public int LastPeerStreamId => _lastPeerStream;

    /// <summary>Streams in the table (open, half-closed or reserved).</summary>
    public int ActiveStreams => _streams.Count;

    /// <summary>Whether a GOAWAY has been sent (new streams above its last id are ignored).</summary>
    public bool IsShuttingDown => _goAwayLastStream >= 0;

    /// <summary>Whether the peer has sent GOAWAY (no more pushes).</summary>
    public bool PeerIsShuttingDown { get; private set; }

    /// <summary>The connection's send credit.</summary>
    public long ConnectionSendWindow => _sendWindow.Available;

    /// <summary>The state of <paramref name="streamId"/>, or null when idle or closed.</summary>
    public Http2StreamState? StateOf(int streamId) => _streams.TryGetValue(streamId, out var s) ? s.State : null;

    /// <summary>The stream's priority (RFC 9218), default until a header or PRIORITY_UPDATE says otherwise.</summary>
    public Http2StreamPriority PriorityOf(int streamId) => _streams.TryGetValue(streamId, out var s) ? s.Priority : Http2StreamPriority.Default;

    /// <summary>Sets a stream's priority from its <c>priority</c> request header.</summary>
    public void SetPriority(int streamId, Http2StreamPriority priority)
    {
        if (_streams.TryGetValue(streamId, out var s)) s.Priority = priority;
    }

    /// <summary>The request's declared Content-Length, checked against its DATA (RFC 9113 §8.1.1).</summary>
    public void SetDeclaredContentLength(int streamId, long length)
    {
        if (_streams.TryGetValue(streamId, out var s)) s.DeclaredLength = length;
    }

    /// <summary>How many of <paramref name="wanted"/> octets of DATA may be sent on the stream now: the smaller of both windows and the peer's frame size.</summary>
    public int SendableOn(int streamId, int wanted)
    {
        if (!_streams.TryGetValue(streamId, out var s) || s.State is Http2StreamState.HalfClosedLocal) return 0;
        return s.SendWindow.Allowed(_sendWindow.Allowed(Math.Min(wanted, PeerMaxFrameSize)));
    }

    // ---- this side's frames ----

    /// <summary>This side sent a response's HEADERS (or a pushed stream's), ending the stream when <paramref name="endStream"/>.</summary>
    public void OnHeadersSent(int streamId, bool endStream)
    {
        if (!_streams.TryGetValue(streamId, out var s)) return;
        if (s.State == Http2StreamState.ReservedLocal) s.State = Http2StreamState.HalfClosedRemote;
        if (endStream) EndLocal(streamId, s);
    }

    /// <summary>This side sent DATA of <paramref name="length"/> octets (no more than <see cref="SendableOn"/> allowed).</summary>
    public void OnDataSent(int streamId, int length, bool endStream)
    {
        if (!_streams.TryGetValue(streamId, out var s)) return;
        _sendWindow.Consume(length);
        s.SendWindow.Consume(length);
        if (endStream) EndLocal(streamId, s);
    }

    /// <summary>This side reset the stream (a handler failure, a cancelled response): it closes, and late frames on it are ignored.</summary>
    public void OnResetSent(int streamId)
    {
        if (_streams.ContainsKey(streamId)) Close(streamId, ClosedHow.ResetByUs);
    }

    /// <summary>
    /// Promises a pushed stream for the request on <paramref name="associatedStreamId"/> (RFC 9113 §8.4):
    /// the new even stream id, or 0 when push is not possible now (disabled by the peer, the peer's
    /// stream limit reached, a GOAWAY either way, or the request no longer open on this side).
    /// </summary>
    public int ReservePush(int associatedStreamId)
    {
        if (!PeerEnablesPush || PeerIsShuttingDown || IsShuttingDown) return 0;
        if (!_streams.TryGetValue(associatedStreamId, out var parent) || parent.State is Http2StreamState.HalfClosedLocal or Http2StreamState.ReservedLocal || associatedStreamId % 2 == 0) return 0;
        if (_pushStreams >= PeerMaxConcurrentStreams || _lastPushStream >= int.MaxValue - 1) return 0;
        _lastPushStream += 2;
        _pushStreams++;
        _streams[_lastPushStream] = new Stream(Http2StreamState.ReservedLocal, PeerInitialWindowSize, 0) { Priority = parent.Priority };
        return _lastPushStream;
    }

    /// <summary>Starts a graceful shutdown: the last stream id for GOAWAY; streams the peer opens after it are ignored.</summary>
    public int BeginShutdown()
    {
        if (_goAwayLastStream < 0) _goAwayLastStream = _lastPeerStream;
        return _goAwayLastStream;
    }

    /// <summary>
    /// The application consumed <paramref name="length"/> octets of a stream's request body: the
    /// WINDOW_UPDATE increments to send now for the connection and for the stream (0 to wait).
    /// </summary>
    public (int Connection, int Stream) OnConsumed(int streamId, int length)
    {
        var connection = _receiveWindow.OnConsumed(length);
        var stream = 0;
        if (_streams.TryGetValue(streamId, out var s) && s.State is Http2StreamState.Open or Http2StreamState.HalfClosedLocal)
            stream = s.ReceiveWindow.OnConsumed(length);
        return (connection, stream);
    }

    private void EndLocal(int streamId, Stream s)
    {
        if (s.State is Http2StreamState.HalfClosedRemote) Close(streamId, ClosedHow.BothEnded);
        else s.State = Http2StreamState.HalfClosedLocal;
    }

    private void Close(int streamId, ClosedHow how)
    {
        if (!_streams.Remove(streamId)) return;
        if (streamId % 2 == 1) _peerStreams--;
        else _pushStreams--;
        Remember(streamId, how);
    }

    private void Remember(int streamId, ClosedHow how)
    {
        if (_limits.RecentlyClosedStreams <= 0) return;
        if (_closed.TryAdd(streamId, how))
        {
            _closedOrder.Enqueue(streamId);
            while (_closedOrder.Count > _limits.RecentlyClosedStreams) _closed.Remove(_closedOrder.Dequeue());
        }
        else
        {
            _closed[streamId] = how;
        }
    }

    private sealed class Stream(Http2StreamState state, int sendWindow, int receiveWindow)
    {
        public Http2StreamState State = state;
        public Http2OutboundWindow SendWindow = new(sendWindow);
        public Http2InboundWindow ReceiveWindow = new(receiveWindow);
        public Http2StreamPriority Priority = Http2StreamPriority.Default;
        public long DeclaredLength = -1;
        public long ReceivedLength;
    }
}
