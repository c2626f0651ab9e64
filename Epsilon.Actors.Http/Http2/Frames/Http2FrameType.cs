namespace Epsilon.Actors.Http.Http2.Frames;

/// <summary>Frame types (RFC 9113 §6, RFC 9218 §7.1); other values are unknown types, which are ignored (§4.1).</summary>
internal enum Http2FrameType : byte
{
    /// <summary>§6.1.</summary>
    Data = 0x0,

    /// <summary>§6.2.</summary>
    Headers = 0x1,

    /// <summary>§6.3 (RFC 7540's prioritization, deprecated: parsed and ignored).</summary>
    Priority = 0x2,

    /// <summary>§6.4.</summary>
    RstStream = 0x3,

    /// <summary>§6.5.</summary>
    Settings = 0x4,

    /// <summary>§6.6.</summary>
    PushPromise = 0x5,

    /// <summary>§6.7.</summary>
    Ping = 0x6,

    /// <summary>§6.8.</summary>
    GoAway = 0x7,

    /// <summary>§6.9.</summary>
    WindowUpdate = 0x8,

    /// <summary>§6.10.</summary>
    Continuation = 0x9,

    /// <summary>RFC 9218 §7.1.</summary>
    PriorityUpdate = 0x10,
}
