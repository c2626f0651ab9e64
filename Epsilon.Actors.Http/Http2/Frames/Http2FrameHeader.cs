using System.Buffers.Binary;

namespace Epsilon.Actors.Http.Http2.Frames;

/// <summary>The 9-octet frame header (RFC 9113 §4.1): 24-bit length, type, flags, reserved bit and 31-bit stream id.</summary>
/// <param name="Length">The payload length.</param>
/// <param name="Type">The frame type (may be unknown).</param>
/// <param name="Flags">The flags.</param>
/// <param name="StreamId">The stream, reserved bit cleared.</param>
internal readonly record struct Http2FrameHeader(int Length, byte Type, Http2FrameFlags Flags, int StreamId)
{
    /// <summary>The header's length on the wire.</summary>
    public const int Size = 9;

    /// <summary>The smallest SETTINGS_MAX_FRAME_SIZE, and its initial value (§4.2).</summary>
    public const int MinMaxFrameSize = 16384;

    /// <summary>The largest SETTINGS_MAX_FRAME_SIZE (2^24-1).</summary>
    public const int MaxMaxFrameSize = 16777215;

    /// <summary>Whether <paramref name="flag"/> is set.</summary>
    public bool Has(Http2FrameFlags flag) => (Flags & flag) != 0;

    /// <summary>Reads a header from its 9 octets.</summary>
    public static Http2FrameHeader Read(ReadOnlySpan<byte> source) => new(
        source[0] << 16 | source[1] << 8 | source[2],
        source[3],
        (Http2FrameFlags)source[4],
        (int)(BinaryPrimitives.ReadUInt32BigEndian(source[5..]) & 0x7fffffff));

    /// <summary>Writes this header into 9 octets (the reserved bit is sent as 0).</summary>
    public void Write(Span<byte> destination)
    {
        destination[0] = (byte)(Length >> 16);
        destination[1] = (byte)(Length >> 8);
        destination[2] = (byte)Length;
        destination[3] = Type;
        destination[4] = (byte)Flags;
        BinaryPrimitives.WriteUInt32BigEndian(destination[5..], (uint)StreamId & 0x7fffffff);
    }
}
