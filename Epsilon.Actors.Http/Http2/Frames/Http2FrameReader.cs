using System.Buffers;
using System.Buffers.Binary;

namespace Epsilon.Actors.Http.Http2.Frames;

/// <summary>
/// Reads HTTP/2 frames (RFC 9113 §4, §6) from buffered input, one whole frame at a time: nothing is
/// consumed until a frame's header and payload are all there, so input may be split anywhere.
/// A frame longer than this side's SETTINGS_MAX_FRAME_SIZE fails as soon as its header arrives,
/// so a peer cannot make the reader wait for or buffer more than that.
/// </summary>
/// <remarks>
/// Every frame-level rule is checked here and thrown as an <see cref="Http2Exception"/> with the
/// code and scope §6 gives; see <see cref="IHttp2FrameHandler"/> for what is left to the connection.
/// </remarks>
internal static class Http2FrameReader
{
    /// <summary>Reads one frame if it is complete; false (nothing consumed) when more input is needed.</summary>
    /// <exception cref="Http2Exception">The frame breaks a rule of §4–§6.</exception>
    public static bool TryRead<THandler>(ref SequenceReader<byte> reader, int maxFrameSize, ref THandler handler)
        where THandler : IHttp2FrameHandler
    {
        Span<byte> headerBytes = stackalloc byte[Http2FrameHeader.Size];
        if (!reader.TryCopyTo(headerBytes)) return false;
        var header = Http2FrameHeader.Read(headerBytes);
        if (header.Length > maxFrameSize)
            throw Http2Exception.Connection(Http2ErrorCode.FrameSizeError, $"A {TypeName(header.Type)} frame of {header.Length} octets exceeds SETTINGS_MAX_FRAME_SIZE ({maxFrameSize}).");
        if (reader.Remaining < Http2FrameHeader.Size + header.Length) return false;

        var payload = reader.UnreadSequence.Slice(Http2FrameHeader.Size, header.Length);
        reader.Advance(Http2FrameHeader.Size + header.Length);
        Dispatch(header, payload, ref handler);
        return true;
    }

    private static void Dispatch<THandler>(in Http2FrameHeader header, ReadOnlySequence<byte> payload, ref THandler handler)
        where THandler : IHttp2FrameHandler
    {
        var stream = header.StreamId;
        switch ((Http2FrameType)header.Type)
        {
            case Http2FrameType.Data:
            {
                RequireStream(header);
                var data = Unpadded(header, payload, 0);
                handler.OnData(stream, header.Has(Http2FrameFlags.EndStream), data, header.Length);
                return;
            }

            case Http2FrameType.Headers:
            {
                RequireStream(header);
                Http2Priority? priority = null;
                var priorityLength = header.Has(Http2FrameFlags.Priority) ? 5 : 0;
                var block = Unpadded(header, payload, priorityLength);
                if (priorityLength > 0)
                {
                    priority = ReadPriority(block.Slice(0, 5));
                    block = block.Slice(5);
                }

                handler.OnHeaders(stream, header.Has(Http2FrameFlags.EndStream), header.Has(Http2FrameFlags.EndHeaders), priority, block);
                return;
            }

            case Http2FrameType.Priority:
                RequireStream(header);
                if (header.Length != 5) throw Http2Exception.Stream(stream, Http2ErrorCode.FrameSizeError, $"A PRIORITY frame of {header.Length} octets (must be 5).");
                handler.OnPriority(stream, ReadPriority(payload));
                return;

            case Http2FrameType.RstStream:
                RequireStream(header);
                RequireLength(header, 4);
                handler.OnRstStream(stream, (Http2ErrorCode)ReadUInt32(payload));
                return;

            case Http2FrameType.Settings:
                RequireConnection(header);
                ReadSettings(header, payload, ref handler);
                return;

            case Http2FrameType.PushPromise:
            {
                RequireStream(header);
                var block = Unpadded(header, payload, 4);
                var promised = (int)(ReadUInt32(block) & 0x7fffffff);
                handler.OnPushPromise(stream, promised, header.Has(Http2FrameFlags.EndHeaders), block.Slice(4));
                return;
            }

            case Http2FrameType.Ping:
            {
                RequireConnection(header);
                RequireLength(header, 8);
                Span<byte> opaque = stackalloc byte[8];
                payload.CopyTo(opaque);
                handler.OnPing(header.Has(Http2FrameFlags.Ack), BinaryPrimitives.ReadUInt64BigEndian(opaque));
                return;
            }

            case Http2FrameType.GoAway:
                RequireConnection(header);
                if (header.Length < 8) throw Http2Exception.Connection(Http2ErrorCode.FrameSizeError, $"A GOAWAY frame of {header.Length} octets (at least 8).");
                handler.OnGoAway((int)(ReadUInt32(payload) & 0x7fffffff), (Http2ErrorCode)ReadUInt32(payload.Slice(4)), payload.Slice(8));
                return;

            case Http2FrameType.WindowUpdate:
            {
                RequireLength(header, 4);
                var increment = (int)(ReadUInt32(payload) & 0x7fffffff);
                if (increment == 0)
                {
                    const string zero = "A WINDOW_UPDATE with an increment of 0.";
                    throw stream == 0 ? Http2Exception.Connection(Http2ErrorCode.ProtocolError, zero) : Http2Exception.Stream(stream, Http2ErrorCode.ProtocolError, zero);
                }

                handler.OnWindowUpdate(stream, increment);
                return;
            }

            case Http2FrameType.Continuation:
                RequireStream(header);
                handler.OnContinuation(stream, header.Has(Http2FrameFlags.EndHeaders), payload);
                return;

            case Http2FrameType.PriorityUpdate:
            {
                RequireConnection(header);
                if (header.Length < 4) throw Http2Exception.Connection(Http2ErrorCode.FrameSizeError, $"A PRIORITY_UPDATE frame of {header.Length} octets (at least 4).");
                var prioritized = (int)(ReadUInt32(payload) & 0x7fffffff);
                if (prioritized == 0) throw Http2Exception.Connection(Http2ErrorCode.ProtocolError, "A PRIORITY_UPDATE for stream 0 (RFC 9218 §7.1).");
                handler.OnPriorityUpdate(prioritized, payload.Slice(4));
                return;
            }

            default:
                handler.OnUnknownFrame(header.Type, stream, header.Length);
                return;
        }
    }

    private static void ReadSettings<THandler>(in Http2FrameHeader header, ReadOnlySequence<byte> payload, ref THandler handler)
        where THandler : IHttp2FrameHandler
    {
        if (header.Has(Http2FrameFlags.Ack))
        {
            if (header.Length != 0) throw Http2Exception.Connection(Http2ErrorCode.FrameSizeError, $"A SETTINGS ACK with {header.Length} octets of payload.");
            handler.OnSettingsAck();
            return;
        }

        if (header.Length % 6 != 0) throw Http2Exception.Connection(Http2ErrorCode.FrameSizeError, $"A SETTINGS frame of {header.Length} octets (a multiple of 6).");

        // Every value is checked before any is applied: a bad frame changes nothing.
        Span<byte> entry = stackalloc byte[6];
        for (var offset = 0; offset < header.Length; offset += 6)
        {
            payload.Slice(offset, 6).CopyTo(entry);
            CheckSetting((Http2SettingId)BinaryPrimitives.ReadUInt16BigEndian(entry), BinaryPrimitives.ReadUInt32BigEndian(entry[2..]));
        }

        handler.OnSettingsStart();
        for (var offset = 0; offset < header.Length; offset += 6)
        {
            payload.Slice(offset, 6).CopyTo(entry);
            var id = (Http2SettingId)BinaryPrimitives.ReadUInt16BigEndian(entry);
            // Unknown parameters are ignored (§6.5.2).
            if (id is >= Http2SettingId.HeaderTableSize and <= Http2SettingId.MaxHeaderListSize or Http2SettingId.EnableConnectProtocol)
                handler.OnSetting(id, BinaryPrimitives.ReadUInt32BigEndian(entry[2..]));
        }

        handler.OnSettingsEnd();
    }

    private static void CheckSetting(Http2SettingId id, uint value)
    {
        switch (id)
        {
            case Http2SettingId.EnablePush or Http2SettingId.EnableConnectProtocol when value > 1:
                throw Http2Exception.Connection(Http2ErrorCode.ProtocolError, $"SETTINGS {id} = {value} (must be 0 or 1).");
            case Http2SettingId.InitialWindowSize when value > int.MaxValue:
                throw Http2Exception.Connection(Http2ErrorCode.FlowControlError, $"SETTINGS_INITIAL_WINDOW_SIZE = {value} exceeds 2^31-1.");
            case Http2SettingId.MaxFrameSize when value is < Http2FrameHeader.MinMaxFrameSize or > Http2FrameHeader.MaxMaxFrameSize:
                throw Http2Exception.Connection(Http2ErrorCode.ProtocolError, $"SETTINGS_MAX_FRAME_SIZE = {value} is outside 16384..16777215.");
        }
    }

    /// <summary>The payload without its pad length octet and padding, checked to hold <paramref name="fixedLength"/> octets of fields after them.</summary>
    private static ReadOnlySequence<byte> Unpadded(in Http2FrameHeader header, ReadOnlySequence<byte> payload, int fixedLength)
    {
        if (!header.Has(Http2FrameFlags.Padded))
        {
            if (header.Length < fixedLength) throw Http2Exception.Connection(Http2ErrorCode.FrameSizeError, $"A {TypeName(header.Type)} frame of {header.Length} octets is too short for its fields.");
            return payload;
        }

        if (header.Length < 1 + fixedLength) throw Http2Exception.Connection(Http2ErrorCode.FrameSizeError, $"A padded {TypeName(header.Type)} frame of {header.Length} octets is too short for its fields.");
        var padLength = payload.FirstSpan[0];
        // §6.1/§6.2/§6.6: padding that leaves no room for the frame's fields is a PROTOCOL_ERROR.
        if (padLength > header.Length - 1 - fixedLength)
            throw Http2Exception.Connection(Http2ErrorCode.ProtocolError, $"A {TypeName(header.Type)} frame's padding ({padLength}) does not fit its payload ({header.Length}).");

        return payload.Slice(1, header.Length - 1 - padLength);
    }

    private static Http2Priority ReadPriority(ReadOnlySequence<byte> five)
    {
        Span<byte> bytes = stackalloc byte[5];
        five.Slice(0, 5).CopyTo(bytes);
        var word = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        return new Http2Priority((int)(word & 0x7fffffff), (word & 0x80000000) != 0, bytes[4] + 1);
    }

    private static uint ReadUInt32(ReadOnlySequence<byte> source)
    {
        Span<byte> bytes = stackalloc byte[4];
        source.Slice(0, 4).CopyTo(bytes);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    private static void RequireStream(in Http2FrameHeader header)
    {
        if (header.StreamId == 0) throw Http2Exception.Connection(Http2ErrorCode.ProtocolError, $"A {TypeName(header.Type)} frame on stream 0.");
    }

    private static void RequireConnection(in Http2FrameHeader header)
    {
        if (header.StreamId != 0) throw Http2Exception.Connection(Http2ErrorCode.ProtocolError, $"A {TypeName(header.Type)} frame on stream {header.StreamId} (must be 0).");
    }

    private static void RequireLength(in Http2FrameHeader header, int length)
    {
        if (header.Length != length) throw Http2Exception.Connection(Http2ErrorCode.FrameSizeError, $"A {TypeName(header.Type)} frame of {header.Length} octets (must be {length}).");
    }

    /// <summary>The RFC's name of a frame type, for messages.</summary>
    public static string TypeName(byte type) => (Http2FrameType)type switch
    {
        Http2FrameType.Data => "DATA",
        Http2FrameType.Headers => "HEADERS",
        Http2FrameType.Priority => "PRIORITY",
        Http2FrameType.RstStream => "RST_STREAM",
        Http2FrameType.Settings => "SETTINGS",
        Http2FrameType.PushPromise => "PUSH_PROMISE",
        Http2FrameType.Ping => "PING",
        Http2FrameType.GoAway => "GOAWAY",
        Http2FrameType.WindowUpdate => "WINDOW_UPDATE",
        Http2FrameType.Continuation => "CONTINUATION",
        Http2FrameType.PriorityUpdate => "PRIORITY_UPDATE",
        _ => $"type 0x{type:x2}",
    };
}
