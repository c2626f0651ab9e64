namespace Epsilon.Actors.Http.Http2.Frames;

/// <summary>Frame flags (RFC 9113 §6); which ones a type defines is in each section, the rest are ignored.</summary>
[Flags]
internal enum Http2FrameFlags : byte
{
    /// <summary>No flag.</summary>
    None = 0x0,

    /// <summary>SETTINGS and PING: this frame acknowledges the peer's.</summary>
    Ack = 0x1,

    /// <summary>DATA and HEADERS: the last frame the sender sends on the stream.</summary>
    EndStream = 0x1,

    /// <summary>HEADERS, PUSH_PROMISE and CONTINUATION: the header block ends in this frame.</summary>
    EndHeaders = 0x4,

    /// <summary>DATA, HEADERS and PUSH_PROMISE: a pad length and padding are present.</summary>
    Padded = 0x8,

    /// <summary>HEADERS: an RFC 7540 priority (exclusive bit, dependency, weight) precedes the block.</summary>
    Priority = 0x20,
}
