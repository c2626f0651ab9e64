using System.Buffers;

namespace Epsilon.Actors.Http.Http2.Frames;

/// <summary>
/// Receives the frames <see cref="Http2FrameReader"/> reads, checked against the frame-level rules
/// of RFC 9113 §6 (sizes, stream 0 or not, padding, setting values). Rules that need the
/// connection's state (stream states, CONTINUATION sequencing, flow control) are the state
/// machine's. Implemented by structs passed by reference; sequences are valid only during the call.
/// </summary>
internal interface IHttp2FrameHandler
{
    /// <summary>DATA: <paramref name="data"/> without padding; <paramref name="flowControlled"/> is the whole payload length, padding included (§6.9.1).</summary>
    void OnData(int streamId, bool endStream, ReadOnlySequence<byte> data, int flowControlled);

    /// <summary>HEADERS: a header block fragment without padding or priority.</summary>
    void OnHeaders(int streamId, bool endStream, bool endHeaders, Http2Priority? priority, ReadOnlySequence<byte> fragment);

    /// <summary>PRIORITY.</summary>
    void OnPriority(int streamId, Http2Priority priority);

    /// <summary>RST_STREAM.</summary>
    void OnRstStream(int streamId, Http2ErrorCode code);

    /// <summary>The start of a SETTINGS frame (not an ACK); each parameter follows, then <see cref="OnSettingsEnd"/>.</summary>
    void OnSettingsStart();

    /// <summary>One SETTINGS parameter of a known id, its value checked (§6.5.2); unknown ids are skipped.</summary>
    void OnSetting(Http2SettingId id, uint value);

    /// <summary>The end of a SETTINGS frame.</summary>
    void OnSettingsEnd();

    /// <summary>A SETTINGS frame with ACK.</summary>
    void OnSettingsAck();

    /// <summary>PUSH_PROMISE: the promised stream and a header block fragment without padding.</summary>
    void OnPushPromise(int streamId, int promisedStreamId, bool endHeaders, ReadOnlySequence<byte> fragment);

    /// <summary>PING with its 8 opaque octets.</summary>
    void OnPing(bool ack, ulong opaqueData);

    /// <summary>GOAWAY.</summary>
    void OnGoAway(int lastStreamId, Http2ErrorCode code, ReadOnlySequence<byte> debugData);

    /// <summary>WINDOW_UPDATE with a non-zero increment (1 to 2^31-1).</summary>
    void OnWindowUpdate(int streamId, int increment);

    /// <summary>CONTINUATION.</summary>
    void OnContinuation(int streamId, bool endHeaders, ReadOnlySequence<byte> fragment);

    /// <summary>PRIORITY_UPDATE (RFC 9218 §7.1): the stream and its Priority Field Value (ASCII, as the <c>priority</c> header).</summary>
    void OnPriorityUpdate(int prioritizedStreamId, ReadOnlySequence<byte> fieldValue);

    /// <summary>A frame of an unknown type: ignored (§4.1), reported so CONTINUATION sequencing can see it.</summary>
    void OnUnknownFrame(byte type, int streamId, int length);
}
