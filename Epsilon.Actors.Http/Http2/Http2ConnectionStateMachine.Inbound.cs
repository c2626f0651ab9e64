using Epsilon.Actors.Http.Http2.Frames;
using Epsilon.Actors.Http.Http2.Priority;

namespace Epsilon.Actors.Http.Http2;

internal sealed partial class Http2ConnectionStateMachine
{
    /// <summary>A HEADERS frame from the peer (§5.1, §5.1.1, §5.1.2, §6.2, §8.1).</summary>
    public Http2HeadersDecision OnHeaders(int streamId, bool endStream, bool endHeaders, Http2Priority? priority, TimeSpan now)
    {
        RequireNoHeaderBlock("HEADERS");
        if (!endHeaders)
        {
            _blockStream = streamId;
            _blockFrames = 1;
        }

        if (streamId % 2 == 0)
            throw Http2Exception.Connection(Http2ErrorCode.ProtocolError, $"HEADERS on stream {streamId}: a client opens odd-numbered streams only (§5.1.1).");

        if (_streams.TryGetValue(streamId, out var s))
        {
            if (s.State == Http2StreamState.HalfClosedRemote) return StreamError(streamId, Http2ErrorCode.StreamClosed, now);
            // A second HEADERS on an open stream carries trailers, and must end the stream (§8.1).
            if (!endStream) return StreamError(streamId, Http2ErrorCode.ProtocolError, now);
            if (s.DeclaredLength >= 0 && s.ReceivedLength != s.DeclaredLength) return StreamError(streamId, Http2ErrorCode.ProtocolError, now);
            EndRemote(streamId, s);
            return new Http2HeadersDecision(Http2HeadersAction.Trailers);
        }

        if (streamId <= _lastPeerStream) return LateFrame(streamId, "HEADERS", now) is { } late ? late : new Http2HeadersDecision(Http2HeadersAction.Discard);

        // A new stream; the ids below it that were never used are closed from now on (§5.1.1).
        _lastPeerStream = streamId;
        if (priority is { } p && p.Dependency == streamId) return StreamError(streamId, Http2ErrorCode.ProtocolError, now);
        if (IsShuttingDown && streamId > _goAwayLastStream) return new Http2HeadersDecision(Http2HeadersAction.Discard);
        if (_peerStreams >= _limits.MaxConcurrentStreams) return StreamError(streamId, Http2ErrorCode.RefusedStream, now);

        var stream = new Stream(endStream ? Http2StreamState.HalfClosedRemote : Http2StreamState.Open, PeerInitialWindowSize, _limits.InitialStreamWindowSize);
        if (_earlyPriorities.Remove(streamId, out var early)) stream.Priority = early;
        _streams[streamId] = stream;
        _peerStreams++;
        return new Http2HeadersDecision(Http2HeadersAction.Request);
    }

    /// <summary>A CONTINUATION frame (§6.10): only right after a HEADERS or CONTINUATION of the same stream without END_HEADERS.</summary>
    public void OnContinuation(int streamId, bool endHeaders)
    {
        if (_blockStream == 0 || _blockStream != streamId)
            throw Http2Exception.Connection(Http2ErrorCode.ProtocolError, $"CONTINUATION on stream {streamId} without a header block in progress there (§6.10).");
        if (++_blockFrames > _limits.MaxHeaderBlockFrames)
            throw Http2Exception.Connection(Http2ErrorCode.EnhanceYourCalm, $"A header block of more than {_limits.MaxHeaderBlockFrames} frames (CONTINUATION flood).");
        if (endHeaders) _blockStream = 0;
    }

    /// <summary>A DATA frame (§6.1, §6.9): both receive windows are charged the whole payload, padding included.</summary>
    public Http2DataDecision OnData(int streamId, bool endStream, int flowControlled, int dataLength, TimeSpan now)
    {
        RequireNoHeaderBlock("DATA");
        if (!_receiveWindow.TryReceive(flowControlled))
            throw Http2Exception.Connection(Http2ErrorCode.FlowControlError, $"DATA of {flowControlled} octets exceeds the connection's receive window ({_receiveWindow.Available}).");
        if (flowControlled == 0 && !endStream) SpendControl(now, "empty DATA frames");

        if (!_streams.TryGetValue(streamId, out var s))
        {
            if (streamId > _lastPeerStream || streamId % 2 == 0 && !_closed.ContainsKey(streamId))
                throw Http2Exception.Connection(Http2ErrorCode.ProtocolError, $"DATA on idle stream {streamId} (§5.1).");
            var late = LateFrame(streamId, "DATA", now);
            return Dropped(late?.ResetCode, flowControlled);
        }

        if (s.State is Http2StreamState.HalfClosedRemote)
        {
            StreamError(streamId, Http2ErrorCode.StreamClosed, now);
            return Dropped(Http2ErrorCode.StreamClosed, flowControlled);
        }

        if (s.State is Http2StreamState.ReservedLocal)
            throw Http2Exception.Connection(Http2ErrorCode.ProtocolError, $"DATA on reserved stream {streamId} (§5.1).");

        if (!s.ReceiveWindow.TryReceive(flowControlled))
        {
            StreamError(streamId, Http2ErrorCode.FlowControlError, now);
            return Dropped(Http2ErrorCode.FlowControlError, flowControlled);
        }

        s.ReceivedLength += dataLength;
        if (s.DeclaredLength >= 0 && (s.ReceivedLength > s.DeclaredLength || endStream && s.ReceivedLength != s.DeclaredLength))
        {
            StreamError(streamId, Http2ErrorCode.ProtocolError, now);
            return Dropped(Http2ErrorCode.ProtocolError, flowControlled);
        }

        // Padding is consumed at once; the data itself when the application reads it.
        var padding = flowControlled - dataLength;
        var connectionCredit = padding > 0 ? _receiveWindow.OnConsumed(padding) : 0;
        var streamCredit = padding > 0 && !endStream ? s.ReceiveWindow.OnConsumed(padding) : 0;
        if (endStream) EndRemote(streamId, s);
        return new Http2DataDecision(true, null, connectionCredit, streamCredit, endStream);
    }

    /// <summary>RST_STREAM from the peer (§6.4): the stream closes; resets are counted against the flood budget (rapid reset).</summary>
    /// <returns>True when an active stream was cancelled (its request is aborted).</returns>
    public bool OnRstStream(int streamId, TimeSpan now)
    {
        RequireNoHeaderBlock("RST_STREAM");
        if (IsIdle(streamId)) throw Http2Exception.Connection(Http2ErrorCode.ProtocolError, $"RST_STREAM on idle stream {streamId} (§6.4).");
        if (!_streams.ContainsKey(streamId)) return false;
        SpendReset(now);
        Close(streamId, ClosedHow.ResetByPeer);
        return true;
    }

    /// <summary>WINDOW_UPDATE (§6.9): raises the connection's or a stream's send credit.</summary>
    /// <exception cref="Http2Exception">Overflow past 2^31-1 (connection or stream FLOW_CONTROL_ERROR), an idle stream, a flood.</exception>
    public void OnWindowUpdate(int streamId, int increment, TimeSpan now)
    {
        RequireNoHeaderBlock("WINDOW_UPDATE");
        SpendControl(now, "WINDOW_UPDATE frames");
        if (streamId == 0)
        {
            if (!_sendWindow.TryIncrease(increment))
                throw Http2Exception.Connection(Http2ErrorCode.FlowControlError, "A WINDOW_UPDATE takes the connection's send window past 2^31-1.");
            return;
        }

        if (_streams.TryGetValue(streamId, out var s))
        {
            if (!s.SendWindow.TryIncrease(increment))
            {
                StreamError(streamId, Http2ErrorCode.FlowControlError, now);
                throw Http2Exception.Stream(streamId, Http2ErrorCode.FlowControlError, $"A WINDOW_UPDATE takes stream {streamId}'s send window past 2^31-1.");
            }

            return;
        }

        if (IsIdle(streamId)) throw Http2Exception.Connection(Http2ErrorCode.ProtocolError, $"WINDOW_UPDATE on idle stream {streamId} (§5.1).");
        // On a closed stream: allowed for a while after it closed, and ignored.
    }

    /// <summary>PRIORITY (§6.3): parsed and ignored (RFC 9113 deprecates the scheme), except that a stream cannot depend on itself.</summary>
    public void OnPriority(int streamId, Http2Priority priority, TimeSpan now)
    {
        RequireNoHeaderBlock("PRIORITY");
        SpendControl(now, "PRIORITY frames");
        if (priority.Dependency == streamId)
        {
            StreamError(streamId, Http2ErrorCode.ProtocolError, now);
            throw Http2Exception.Stream(streamId, Http2ErrorCode.ProtocolError, $"Stream {streamId} depends on itself.");
        }
    }

    /// <summary>PRIORITY_UPDATE (RFC 9218 §7.1): re-prioritizes an open stream, or one the peer has yet to open (a few are kept).</summary>
    /// <returns>The stream's new priority when it is open, else null.</returns>
    public Http2StreamPriority? OnPriorityUpdate(int prioritizedStreamId, ReadOnlySpan<byte> fieldValue, TimeSpan now)
    {
        RequireNoHeaderBlock("PRIORITY_UPDATE");
        SpendControl(now, "PRIORITY_UPDATE frames");
        if (prioritizedStreamId % 2 == 0)
            throw Http2Exception.Connection(Http2ErrorCode.ProtocolError, $"PRIORITY_UPDATE for stream {prioritizedStreamId}, which is not a request stream (RFC 9218 §7.1).");
        if (_streams.TryGetValue(prioritizedStreamId, out var s))
        {
            s.Priority = Http2StreamPriority.Parse(fieldValue, s.Priority);
            return s.Priority;
        }

        if (prioritizedStreamId > _lastPeerStream && _earlyPriorities.Count < _limits.MaxConcurrentStreams)
            _earlyPriorities[prioritizedStreamId] = Http2StreamPriority.Parse(fieldValue, _earlyPriorities.GetValueOrDefault(prioritizedStreamId, Http2StreamPriority.Default));
        return null;
    }

    /// <summary>The start of the peer's SETTINGS (not an ACK); counted against the control-frame budget.</summary>
    public void OnSettingsStart(TimeSpan now)
    {
        RequireNoHeaderBlock("SETTINGS");
        SpendControl(now, "SETTINGS frames");
    }

    /// <summary>One of the peer's SETTINGS (§6.5.2), already range-checked by the frame reader.</summary>
    public void OnSetting(Http2SettingId id, uint value)
    {
        switch (id)
        {
            case Http2SettingId.HeaderTableSize:
                PeerHeaderTableSize = (int)Math.Min(value, int.MaxValue);
                break;
            case Http2SettingId.EnablePush:
                PeerEnablesPush = value == 1;
                break;
            case Http2SettingId.MaxConcurrentStreams:
                PeerMaxConcurrentStreams = value;
                break;
            case Http2SettingId.InitialWindowSize:
                // §6.9.2: every stream's send window moves by the difference, and must stay within 2^31-1.
                var delta = (long)value - PeerInitialWindowSize;
                foreach (var stream in _streams.Values)
                {
                    if (!stream.SendWindow.TryAdjust(delta))
                        throw Http2Exception.Connection(Http2ErrorCode.FlowControlError, $"SETTINGS_INITIAL_WINDOW_SIZE = {value} takes a stream's send window past 2^31-1.");
                }

                PeerInitialWindowSize = (int)value;
                break;
            case Http2SettingId.MaxFrameSize:
                PeerMaxFrameSize = (int)value;
                break;
        }
    }

    /// <summary>PING from the peer (not an ACK): counted against the control-frame budget; the caller answers with an ACK.</summary>
    public void OnPing(TimeSpan now)
    {
        RequireNoHeaderBlock("PING");
        SpendControl(now, "PING frames");
    }

    /// <summary>GOAWAY from the peer (§6.8): no more pushes; streams above <paramref name="lastStreamId"/> of this side's are not processed by the peer.</summary>
    public void OnGoAway(int lastStreamId)
    {
        RequireNoHeaderBlock("GOAWAY");
        PeerIsShuttingDown = true;
    }

    /// <summary>Any other frame (SETTINGS ACK, PING ACK, unknown types, PUSH_PROMISE): only checked against header block sequencing, and PUSH_PROMISE refused.</summary>
    public void OnOtherFrame(string name, bool isPushPromise = false)
    {
        RequireNoHeaderBlock(name);
        if (isPushPromise) throw Http2Exception.Connection(Http2ErrorCode.ProtocolError, "A client sent PUSH_PROMISE (§8.4).");
    }

    private void RequireNoHeaderBlock(string frame)
    {
        if (_blockStream != 0)
            throw Http2Exception.Connection(Http2ErrorCode.ProtocolError, $"{frame} while the header block of stream {_blockStream} is unfinished (§6.10).");
    }

    private bool IsIdle(int streamId) => streamId % 2 == 1 ? streamId > _lastPeerStream : streamId > _lastPushStream;

    private void EndRemote(int streamId, Stream s)
    {
        if (s.State is Http2StreamState.HalfClosedLocal) Close(streamId, ClosedHow.BothEnded);
        else s.State = Http2StreamState.HalfClosedRemote;
    }

    /// <summary>A stream error found here: the stream closes as reset by this side, and the reset is counted (MadeYouReset).</summary>
    private Http2HeadersDecision StreamError(int streamId, Http2ErrorCode code, TimeSpan now)
    {
        SpendReset(now);
        if (_streams.ContainsKey(streamId)) Close(streamId, ClosedHow.ResetByUs);
        else Remember(streamId, ClosedHow.ResetByUs);
        return new Http2HeadersDecision(Http2HeadersAction.Discard, code);
    }

    /// <summary>A HEADERS or DATA frame on a stream no longer in the table (§5.1 "closed").</summary>
    private Http2HeadersDecision? LateFrame(int streamId, string frame, TimeSpan now)
    {
        if (!_closed.TryGetValue(streamId, out var how))
            throw Http2Exception.Connection(Http2ErrorCode.ProtocolError, $"{frame} on stream {streamId}, closed before it was used or long ago (§5.1.1).");
        return how switch
        {
            // Frames in flight when this side reset the stream: ignored.
            ClosedHow.ResetByUs => null,
            ClosedHow.ResetByPeer => StreamError(streamId, Http2ErrorCode.StreamClosed, now),
            _ => throw Http2Exception.Connection(Http2ErrorCode.StreamClosed, $"{frame} on stream {streamId} after both sides ended it (§5.1)."),
        };
    }

    private Http2DataDecision Dropped(Http2ErrorCode? reset, int flowControlled) =>
        new(false, reset, flowControlled > 0 ? _receiveWindow.OnConsumed(flowControlled) : 0, 0, false);

    private void SpendReset(TimeSpan now)
    {
        if (!_resets.TrySpend(now))
            throw Http2Exception.Connection(Http2ErrorCode.EnhanceYourCalm, $"More than {_limits.ResetBudget} stream resets in {_limits.FloodPeriod.TotalSeconds:0.###} s (rapid reset).");
    }

    private void SpendControl(TimeSpan now, string what)
    {
        if (!_controlFrames.TrySpend(now))
            throw Http2Exception.Connection(Http2ErrorCode.EnhanceYourCalm, $"More than {_limits.ControlFrameBudget} control frames in {_limits.FloodPeriod.TotalSeconds:0.###} s ({what}).");
    }
}
