namespace Epsilon.Actors.Http.Connections;

/// <summary>What the bytes a cleartext connection sent so far say about its protocol (<see cref="ProtocolPreface.Match"/>).</summary>
internal enum PrefaceMatch : byte
{
    /// <summary>Still a proper prefix of some protocol's preface: read more (or time out).</summary>
    NeedMore,

    /// <summary>A protocol's whole preface has arrived: that protocol.</summary>
    Matched,

    /// <summary>No preface can match any more: the fallback protocol (HTTP/1.1).</summary>
    None,
}
