using System.Buffers;
using System.Buffers.Binary;

namespace Epsilon.Actors.Http.Http2.Frames;

/// <summary>
/// Writes HTTP/2 frames (RFC 9113 §6). DATA writes only its header, so the payload can follow
/// without a copy; a header block larger than the peer's SETTINGS_MAX_FRAME_SIZE is split into
/// HEADERS (or PUSH_PROMISE) and CONTINUATION frames, written back to back (§6.10). This side
/// never pads.
/// </summary>
internal static class Http2FrameWriter
{
    /// <summary>The header of a DATA frame of <paramref name="length"/> octets; the payload follows it.</summary>
    public static void WriteDataHeader(IBufferWriter<byte> output, int streamId, int length, bool endStream) =>
        WriteHeader(output, length, Http2FrameType.Data, endStream ? Http2FrameFlags.EndStream : Http2FrameFlags.None, streamId);

    /// <summary>A DATA frame with its payload copied in.</summary>
    public static void WriteData(IBufferWriter<byte> output, int streamId, ReadOnlySpan<byte> data, bool endStream)
    {
        WriteDataHeader(output, streamId, data.Length, endStream);
        output.Write(data);
    }

    /// <summary>HEADERS and as many CONTINUATION frames as <paramref name="block"/> needs at <paramref name="maxFrameSize"/>.</summary>
    public static void WriteHeaders(IBufferWriter<byte> output, int streamId, ReadOnlySpan<byte> block, bool endStream, int maxFrameSize)
    {
        var first = Math.Min(block.Length, maxFrameSize);
        var flags = (endStream ? Http2FrameFlags.EndStream : Http2FrameFlags.None) | (first == block.Length ? Http2FrameFlags.EndHeaders : Http2FrameFlags.None);
        WriteHeader(output, first, Http2FrameType.Headers, flags, streamId);
        output.Write(block[..first]);
        WriteContinuations(output, streamId, block[first..], maxFrameSize);
    }

    /// <summary>PUSH_PROMISE for <paramref name="promisedStreamId"/> on <paramref name="streamId"/>, continued as needed.</summary>
    public static void WritePushPromise(IBufferWriter<byte> output, int streamId, int promisedStreamId, ReadOnlySpan<byte> block, int maxFrameSize)
    {
        var first = Math.Min(block.Length, maxFrameSize - 4);
        WriteHeader(output, first + 4, Http2FrameType.PushPromise, first == block.Length ? Http2FrameFlags.EndHeaders : Http2FrameFlags.None, streamId);
        WriteUInt32(output, (uint)promisedStreamId & 0x7fffffff);
        output.Write(block[..first]);
        WriteContinuations(output, streamId, block[first..], maxFrameSize);
    }

    private static void WriteContinuations(IBufferWriter<byte> output, int streamId, ReadOnlySpan<byte> rest, int maxFrameSize)
    {
        while (rest.Length > 0)
        {
            var part = Math.Min(rest.Length, maxFrameSize);
            WriteHeader(output, part, Http2FrameType.Continuation, part == rest.Length ? Http2FrameFlags.EndHeaders : Http2FrameFlags.None, streamId);
            output.Write(rest[..part]);
            rest = rest[part..];
        }
    }

    /// <summary>PRIORITY (RFC 7540's scheme; a client may still send it).</summary>
    public static void WritePriority(IBufferWriter<byte> output, int streamId, Http2Priority priority)
    {
        WriteHeader(output, 5, Http2FrameType.Priority, Http2FrameFlags.None, streamId);
        var span = output.GetSpan(5);
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)priority.Dependency & 0x7fffffff | (priority.Exclusive ? 0x80000000 : 0));
        span[4] = (byte)(priority.Weight - 1);
        output.Advance(5);
    }

    /// <summary>RST_STREAM.</summary>
    public static void WriteRstStream(IBufferWriter<byte> output, int streamId, Http2ErrorCode code)
    {
        WriteHeader(output, 4, Http2FrameType.RstStream, Http2FrameFlags.None, streamId);
        WriteUInt32(output, (uint)code);
    }

    /// <summary>SETTINGS with the given parameters, in order.</summary>
    public static void WriteSettings(IBufferWriter<byte> output, ReadOnlySpan<(Http2SettingId Id, uint Value)> settings)
    {
        WriteHeader(output, settings.Length * 6, Http2FrameType.Settings, Http2FrameFlags.None, 0);
        foreach (var (id, value) in settings)
        {
            var span = output.GetSpan(6);
            BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)id);
            BinaryPrimitives.WriteUInt32BigEndian(span[2..], value);
            output.Advance(6);
        }
    }

    /// <summary>SETTINGS with ACK.</summary>
    public static void WriteSettingsAck(IBufferWriter<byte> output) =>
        WriteHeader(output, 0, Http2FrameType.Settings, Http2FrameFlags.Ack, 0);

    /// <summary>PING (or its ACK) with 8 opaque octets.</summary>
    public static void WritePing(IBufferWriter<byte> output, ulong opaqueData, bool ack)
    {
        WriteHeader(output, 8, Http2FrameType.Ping, ack ? Http2FrameFlags.Ack : Http2FrameFlags.None, 0);
        var span = output.GetSpan(8);
        BinaryPrimitives.WriteUInt64BigEndian(span, opaqueData);
        output.Advance(8);
    }

    /// <summary>GOAWAY with optional debug data.</summary>
    public static void WriteGoAway(IBufferWriter<byte> output, int lastStreamId, Http2ErrorCode code, ReadOnlySpan<byte> debugData = default)
    {
        WriteHeader(output, 8 + debugData.Length, Http2FrameType.GoAway, Http2FrameFlags.None, 0);
        WriteUInt32(output, (uint)lastStreamId & 0x7fffffff);
        WriteUInt32(output, (uint)code);
        output.Write(debugData);
    }

    /// <summary>WINDOW_UPDATE of <paramref name="increment"/> (1 to 2^31-1) on a stream, or on the connection (0).</summary>
    public static void WriteWindowUpdate(IBufferWriter<byte> output, int streamId, int increment)
    {
        if (increment <= 0) throw new ArgumentOutOfRangeException(nameof(increment), increment, "A WINDOW_UPDATE increment is 1 to 2^31-1.");
        WriteHeader(output, 4, Http2FrameType.WindowUpdate, Http2FrameFlags.None, streamId);
        WriteUInt32(output, (uint)increment);
    }

    /// <summary>PRIORITY_UPDATE (RFC 9218 §7.1) for <paramref name="prioritizedStreamId"/> with a Priority Field Value such as <c>u=1, i</c>.</summary>
    public static void WritePriorityUpdate(IBufferWriter<byte> output, int prioritizedStreamId, ReadOnlySpan<byte> fieldValue)
    {
        WriteHeader(output, 4 + fieldValue.Length, Http2FrameType.PriorityUpdate, Http2FrameFlags.None, 0);
        WriteUInt32(output, (uint)prioritizedStreamId & 0x7fffffff);
        output.Write(fieldValue);
    }

    private static void WriteHeader(IBufferWriter<byte> output, int length, Http2FrameType type, Http2FrameFlags flags, int streamId)
    {
        var span = output.GetSpan(Http2FrameHeader.Size);
        new Http2FrameHeader(length, (byte)type, flags, streamId).Write(span);
        output.Advance(Http2FrameHeader.Size);
    }

    private static void WriteUInt32(IBufferWriter<byte> output, uint value)
    {
        var span = output.GetSpan(4);
        BinaryPrimitives.WriteUInt32BigEndian(span, value);
        output.Advance(4);
    }
}
