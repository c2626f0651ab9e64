namespace Epsilon.Actors.Http.Http2.Frames;

/// <summary>SETTINGS parameters (RFC 9113 §6.5.2, RFC 8441 §3); unknown ones are ignored.</summary>
internal enum Http2SettingId : ushort
{
    /// <summary>The largest HPACK dynamic table the sender's decoder allows (4096 initially).</summary>
    HeaderTableSize = 0x1,

    /// <summary>0 or 1: whether server push is allowed (1 initially).</summary>
    EnablePush = 0x2,

    /// <summary>The most streams the sender allows the peer to open (unlimited initially).</summary>
    MaxConcurrentStreams = 0x3,

    /// <summary>The sender's initial stream window (65,535 initially; at most 2^31-1).</summary>
    InitialWindowSize = 0x4,

    /// <summary>The largest frame payload the sender accepts (16,384 to 16,777,215).</summary>
    MaxFrameSize = 0x5,

    /// <summary>Advisory: the largest header list the sender accepts.</summary>
    MaxHeaderListSize = 0x6,

    /// <summary>RFC 8441: 1 when the sender (a server) accepts extended CONNECT.</summary>
    EnableConnectProtocol = 0x8,
}
