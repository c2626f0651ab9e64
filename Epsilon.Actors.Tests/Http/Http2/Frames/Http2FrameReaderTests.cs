using System.Buffers;
using System.Text;
using Epsilon.Actors.Http.Http2;
using Epsilon.Actors.Http.Http2.Frames;
using Epsilon.Actors.Tests.TestKit;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Http2.Frames;

[Trait("Category", "Unit")]
public sealed class Http2FrameReaderTests
{
    private static byte[] Frames(Action<ArrayBufferWriter<byte>> write)
    {
        var output = new ArrayBufferWriter<byte>();
        write(output);
        return output.WrittenSpan.ToArray();
    }

    private static byte[] Raw(int length, byte type, byte flags, int stream, string payloadHex)
    {
        var payload = Convert.FromHexString(payloadHex);
        var bytes = new byte[9 + payload.Length];
        new Http2FrameHeader(length, type, (Http2FrameFlags)flags, stream).Write(bytes);
        payload.CopyTo(bytes, 9);
        return bytes;
    }

    private static string Read(byte[] input, int maxFrameSize = 16384)
    {
        var recorder = new FrameRecorder(maxFrameSize);
        var consumed = recorder.Feed(new ReadOnlySequence<byte>(input));
        return recorder.Failed ? recorder.Transcript : $"{recorder.Transcript}|unconsumed={input.Length - consumed}";
    }

    [Fact]
    public void Reads_every_frame_type_the_writer_writes_at_every_split_point()
    {
        var block = Enumerable.Range(0, 40).Select(i => (byte)i).ToArray();
        var input = Frames(o =>
        {
            Http2FrameWriter.WriteData(o, 1, "hello"u8, endStream: true);
            Http2FrameWriter.WriteHeaders(o, 3, block, endStream: false, maxFrameSize: 16384);
            Http2FrameWriter.WriteHeaders(o, 5, block, endStream: true, maxFrameSize: 16);
            Http2FrameWriter.WritePriority(o, 7, new Http2Priority(5, true, 256));
            Http2FrameWriter.WriteRstStream(o, 7, Http2ErrorCode.Cancel);
            Http2FrameWriter.WriteSettings(o, [(Http2SettingId.MaxConcurrentStreams, 100), (Http2SettingId.InitialWindowSize, 65535), (Http2SettingId.MaxFrameSize, 16777215)]);
            Http2FrameWriter.WriteSettingsAck(o);
            Http2FrameWriter.WritePushPromise(o, 1, 2, block, maxFrameSize: 20);
            Http2FrameWriter.WritePing(o, 0x0102030405060708, ack: true);
            Http2FrameWriter.WriteGoAway(o, 9, Http2ErrorCode.EnhanceYourCalm, "calm"u8);
            Http2FrameWriter.WriteWindowUpdate(o, 0, int.MaxValue);
            Http2FrameWriter.WriteWindowUpdate(o, 3, 1);
            Http2FrameWriter.WritePriorityUpdate(o, 3, "u=1, i"u8);
        });
        var whole = SplitEverywhere.Run(input, () => new FrameRecorder());
        var hex = Convert.ToHexStringLower(block);
        Assert.False(whole.Failed, whole.Transcript);
        Assert.Equal(
            "DATA 1 end=True flow=5 68656c6c6f;"
            + $"HEADERS 3 end=False endHeaders=True priority= {hex};"
            + $"HEADERS 5 end=True endHeaders=False priority= {hex[..32]};"
            + $"CONTINUATION 5 endHeaders=False {hex[32..64]};CONTINUATION 5 endHeaders=True {hex[64..]};"
            + "PRIORITY 7 Http2Priority { Dependency = 5, Exclusive = True, Weight = 256 };"
            + "RST_STREAM 7 Cancel;"
            + "SETTINGS[MaxConcurrentStreams=100,InitialWindowSize=65535,MaxFrameSize=16777215,];"
            + "SETTINGS ACK;"
            + $"PUSH_PROMISE 1 promised=2 endHeaders=False {hex[..32]};CONTINUATION 1 endHeaders=False {hex[32..72]};CONTINUATION 1 endHeaders=True {hex[72..]};"
            + "PING ack=True 0102030405060708;"
            + "GOAWAY last=9 EnhanceYourCalm calm;"
            + "WINDOW_UPDATE 0 +2147483647;WINDOW_UPDATE 3 +1;"
            + "PRIORITY_UPDATE 3 u=1, i;",
            whole.Transcript);
    }

    [Fact]
    public void Strips_padding_and_counts_it_for_flow_control()
    {
        // DATA, PADDED, pad length 3: "hi" + 3 octets of padding.
        Assert.Equal("DATA 1 end=False flow=6 6869;|unconsumed=0", Read(Raw(6, 0x0, 0x08, 1, "03" + "6869" + "000000")));
        // HEADERS, PADDED|PRIORITY|END_HEADERS: pad 2, exclusive dependency on 3, weight 16, block "82".
        Assert.Equal("HEADERS 1 end=False endHeaders=True priority=Http2Priority { Dependency = 3, Exclusive = True, Weight = 16 } 82;|unconsumed=0",
            Read(Raw(9, 0x1, 0x2c, 1, "02" + "80000003" + "0f" + "82" + "0000")));
        // PUSH_PROMISE, PADDED: pad 1, promised 4, block "8287".
        Assert.Equal("PUSH_PROMISE 1 promised=4 endHeaders=True 8287;|unconsumed=0", Read(Raw(8, 0x5, 0x0c, 1, "01" + "00000004" + "8287" + "00")));
        // Padding that fills the rest exactly leaves an empty DATA.
        Assert.Equal("DATA 1 end=False flow=3 ;|unconsumed=0", Read(Raw(3, 0x0, 0x08, 1, "020000")));
    }

    [Fact]
    public void Ignores_unknown_frame_types_and_unknown_settings_and_the_reserved_bit()
    {
        var unknown = Raw(3, 0xfa, 0xff, 5, "010203");
        var settings = Raw(12, 0x4, 0, 0, "00ff00000001" + "000100001000");
        var reserved = Raw(4, 0x8, 0, unchecked((int)0x80000003), "00000010");
        reserved[5] |= 0x80;
        Assert.Equal("UNKNOWN 0xfa 5 3;SETTINGS[HeaderTableSize=4096,];WINDOW_UPDATE 3 +16;|unconsumed=0", Read([.. unknown, .. settings, .. reserved]));
    }

    [Fact]
    public void Consumes_nothing_until_a_frame_is_complete()
    {
        var frame = Frames(o => Http2FrameWriter.WriteData(o, 1, "hello"u8, endStream: false));
        for (var k = 0; k < frame.Length; k++) Assert.Equal($"|unconsumed={k}", Read(frame[..k]));
    }

    [Fact]
    public void Fails_an_oversized_frame_on_its_header_alone()
    {
        var header = new byte[9];
        new Http2FrameHeader(16385, 0x0, Http2FrameFlags.None, 1).Write(header);
        Assert.Equal("error FrameSizeError stream=0;", Read(header));
        Assert.Equal("|unconsumed=9", Read(header, maxFrameSize: 16777215));
    }

    [Theory]
    [InlineData(0, 0x0, 0x00, 0, "", "ProtocolError", 0)] // DATA on stream 0
    [InlineData(1, 0x0, 0x08, 1, "01", "ProtocolError", 0)] // DATA pad length = payload length
    [InlineData(0, 0x0, 0x08, 1, "", "FrameSizeError", 0)] // PADDED DATA without a pad length octet
    [InlineData(1, 0x1, 0x04, 0, "82", "ProtocolError", 0)] // HEADERS on stream 0
    [InlineData(5, 0x1, 0x28, 1, "0180000003", "FrameSizeError", 0)] // PADDED|PRIORITY HEADERS too short for its fields
    [InlineData(7, 0x1, 0x2c, 1, "02800000030f82", "ProtocolError", 0)] // padding past the block
    [InlineData(5, 0x2, 0x00, 0, "000000030f", "ProtocolError", 0)] // PRIORITY on stream 0
    [InlineData(4, 0x2, 0x00, 3, "00000001", "FrameSizeError", 3)] // PRIORITY of 4 octets: a stream error
    [InlineData(3, 0x3, 0x00, 1, "000008", "FrameSizeError", 0)] // RST_STREAM of 3 octets
    [InlineData(4, 0x3, 0x00, 0, "00000008", "ProtocolError", 0)] // RST_STREAM on stream 0
    [InlineData(6, 0x4, 0x00, 1, "000300000064", "ProtocolError", 0)] // SETTINGS on a stream
    [InlineData(5, 0x4, 0x00, 0, "0003000000", "FrameSizeError", 0)] // SETTINGS not a multiple of 6
    [InlineData(6, 0x4, 0x01, 0, "000300000064", "FrameSizeError", 0)] // SETTINGS ACK with a payload
    [InlineData(6, 0x4, 0x00, 0, "000200000002", "ProtocolError", 0)] // ENABLE_PUSH = 2
    [InlineData(6, 0x4, 0x00, 0, "000480000000", "FlowControlError", 0)] // INITIAL_WINDOW_SIZE = 2^31
    [InlineData(6, 0x4, 0x00, 0, "000500003fff", "ProtocolError", 0)] // MAX_FRAME_SIZE = 16383
    [InlineData(6, 0x4, 0x00, 0, "000501000000", "ProtocolError", 0)] // MAX_FRAME_SIZE = 2^24
    [InlineData(6, 0x4, 0x00, 0, "000800000002", "ProtocolError", 0)] // ENABLE_CONNECT_PROTOCOL = 2
    [InlineData(3, 0x5, 0x04, 1, "000002", "FrameSizeError", 0)] // PUSH_PROMISE without a promised stream
    [InlineData(8, 0x6, 0x00, 1, "0000000000000000", "ProtocolError", 0)] // PING on a stream
    [InlineData(7, 0x6, 0x00, 0, "00000000000000", "FrameSizeError", 0)] // PING of 7 octets
    [InlineData(7, 0x7, 0x00, 0, "00000000000000", "FrameSizeError", 0)] // GOAWAY of 7 octets
    [InlineData(8, 0x7, 0x00, 1, "0000000000000000", "ProtocolError", 0)] // GOAWAY on a stream
    [InlineData(3, 0x8, 0x00, 0, "000001", "FrameSizeError", 0)] // WINDOW_UPDATE of 3 octets
    [InlineData(4, 0x8, 0x00, 0, "00000000", "ProtocolError", 0)] // connection WINDOW_UPDATE of 0
    [InlineData(4, 0x8, 0x00, 5, "80000000", "ProtocolError", 5)] // stream WINDOW_UPDATE of 0 (reserved bit set): a stream error
    [InlineData(1, 0x9, 0x04, 0, "82", "ProtocolError", 0)] // CONTINUATION on stream 0
    [InlineData(4, 0x10, 0x00, 1, "00000003", "ProtocolError", 0)] // PRIORITY_UPDATE on a stream
    [InlineData(3, 0x10, 0x00, 0, "000003", "FrameSizeError", 0)] // PRIORITY_UPDATE too short
    [InlineData(5, 0x10, 0x00, 0, "0000000075", "ProtocolError", 0)] // PRIORITY_UPDATE for stream 0
    public void Rejects_frames_that_break_the_frame_rules_with_the_right_code_and_scope(int length, byte type, byte flags, int stream, string payload, string code, int errorStream)
    {
        Assert.Equal($"error {code} stream={errorStream};", Read(Raw(length, type, flags, stream, payload)));
    }

    [Fact]
    public void Reads_frames_as_they_come_and_stops_at_the_first_bad_one()
    {
        var good = Frames(o => Http2FrameWriter.WritePing(o, 1, ack: false));
        var bad = Raw(4, 0x8, 0, 0, "00000000");
        Assert.Equal("PING ack=False 0000000000000001;error ProtocolError stream=0;", Read([.. good, .. bad, .. good]));
    }

    [Fact]
    public void Goaway_debug_data_and_the_largest_frame_are_read_whole()
    {
        var debug = Encoding.ASCII.GetBytes(new string('d', 16384 - 8));
        var input = Frames(o => Http2FrameWriter.WriteGoAway(o, int.MaxValue, Http2ErrorCode.NoError, debug));
        var transcript = Read(input);
        Assert.StartsWith($"GOAWAY last={int.MaxValue} NoError dddd", transcript);
        Assert.EndsWith("|unconsumed=0", transcript);
    }
}
