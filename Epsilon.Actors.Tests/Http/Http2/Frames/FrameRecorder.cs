using System.Buffers;
using System.Text;
using Epsilon.Actors.Http.Http2;
using Epsilon.Actors.Http.Http2.Frames;
using Epsilon.Actors.Tests.TestKit;

namespace Epsilon.Actors.Tests.Http.Http2.Frames;

/// <summary>A reader session that writes every frame it is handed as one transcript line.</summary>
internal sealed class FrameRecorder(int maxFrameSize = Http2FrameHeader.MinMaxFrameSize) : IIncrementalSession
{
    private readonly StringBuilder _transcript = new();

    public bool Failed { get; private set; }

    public Http2Exception? Error { get; private set; }

    public string Transcript => _transcript.ToString();

    public long Feed(ReadOnlySequence<byte> buffered)
    {
        var reader = new SequenceReader<byte>(buffered);
        var handler = new Handler(_transcript);
        try
        {
            while (Http2FrameReader.TryRead(ref reader, maxFrameSize, ref handler))
            {
            }
        }
        catch (Http2Exception e)
        {
            Failed = true;
            Error = e;
            _transcript.Append($"error {e.Code} stream={e.StreamId};");
        }

        return reader.Consumed;
    }

    private readonly struct Handler(StringBuilder t) : IHttp2FrameHandler
    {
        private static string Hex(ReadOnlySequence<byte> bytes) => Convert.ToHexStringLower(bytes.ToArray());

        public void OnData(int streamId, bool endStream, ReadOnlySequence<byte> data, int flowControlled) =>
            t.Append($"DATA {streamId} end={endStream} flow={flowControlled} {Hex(data)};");

        public void OnHeaders(int streamId, bool endStream, bool endHeaders, Http2Priority? priority, ReadOnlySequence<byte> fragment) =>
            t.Append($"HEADERS {streamId} end={endStream} endHeaders={endHeaders} priority={priority} {Hex(fragment)};");

        public void OnPriority(int streamId, Http2Priority priority) => t.Append($"PRIORITY {streamId} {priority};");

        public void OnRstStream(int streamId, Http2ErrorCode code) => t.Append($"RST_STREAM {streamId} {code};");

        public void OnSettingsStart() => t.Append("SETTINGS[");

        public void OnSetting(Http2SettingId id, uint value) => t.Append($"{id}={value},");

        public void OnSettingsEnd() => t.Append("];");

        public void OnSettingsAck() => t.Append("SETTINGS ACK;");

        public void OnPushPromise(int streamId, int promisedStreamId, bool endHeaders, ReadOnlySequence<byte> fragment) =>
            t.Append($"PUSH_PROMISE {streamId} promised={promisedStreamId} endHeaders={endHeaders} {Hex(fragment)};");

        public void OnPing(bool ack, ulong opaqueData) => t.Append($"PING ack={ack} {opaqueData:x16};");

        public void OnGoAway(int lastStreamId, Http2ErrorCode code, ReadOnlySequence<byte> debugData) =>
            t.Append($"GOAWAY last={lastStreamId} {code} {Encoding.ASCII.GetString(debugData.ToArray())};");

        public void OnWindowUpdate(int streamId, int increment) => t.Append($"WINDOW_UPDATE {streamId} +{increment};");

        public void OnContinuation(int streamId, bool endHeaders, ReadOnlySequence<byte> fragment) =>
            t.Append($"CONTINUATION {streamId} endHeaders={endHeaders} {Hex(fragment)};");

        public void OnPriorityUpdate(int prioritizedStreamId, ReadOnlySequence<byte> fieldValue) =>
            t.Append($"PRIORITY_UPDATE {prioritizedStreamId} {Encoding.ASCII.GetString(fieldValue.ToArray())};");

        public void OnUnknownFrame(byte type, int streamId, int length) => t.Append($"UNKNOWN 0x{type:x2} {streamId} {length};");
    }
}
