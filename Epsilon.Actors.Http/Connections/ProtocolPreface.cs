using System.Buffers;

namespace Epsilon.Actors.Http.Connections;

/// <summary>
/// Pure preface detection for the protocol switch: compares what a cleartext connection has
/// sent so far with the prefaces of the protocols that have one (RFC 9113 §3.3: HTTP/2 with prior
/// knowledge starts with <c>PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n</c>). Works on the whole of what was
/// received, however it was split into reads; consumes nothing (the chosen protocol gets every byte).
/// </summary>
internal static class ProtocolPreface
{
    /// <summary>Whether <paramref name="protocols"/> has any protocol chosen by a preface.</summary>
    public static bool AnyIn(IReadOnlyList<ServerProtocol> protocols)
    {
        foreach (var protocol in protocols)
            if (!protocol.Preface.IsEmpty) return true;
        return false;
    }

    /// <summary>
    /// The decision for <paramref name="received"/>: <see cref="PrefaceMatch.Matched"/> with the
    /// first protocol whose whole preface it starts with; <see cref="PrefaceMatch.NeedMore"/> while
    /// it is a proper prefix of some preface (nothing received is always that, when any preface
    /// exists); else <see cref="PrefaceMatch.None"/>.
    /// </summary>
    public static PrefaceMatch Match(in ReadOnlySequence<byte> received, IReadOnlyList<ServerProtocol> protocols, out ServerProtocol? matched)
    {
        matched = null;
        var needMore = false;
        foreach (var protocol in protocols)
        {
            var preface = protocol.Preface.Span;
            if (preface.IsEmpty) continue;
            var compared = (int)Math.Min(received.Length, preface.Length);
            if (!StartsWith(received, preface[..compared])) continue;
            if (compared == preface.Length)
            {
                matched = protocol;
                return PrefaceMatch.Matched;
            }

            needMore = true;
        }

        return needMore ? PrefaceMatch.NeedMore : PrefaceMatch.None;
    }

    private static bool StartsWith(in ReadOnlySequence<byte> received, ReadOnlySpan<byte> expected)
    {
        if (received.FirstSpan.Length >= expected.Length) return received.FirstSpan.StartsWith(expected);
        var reader = new SequenceReader<byte>(received);
        return reader.IsNext(expected);
    }
}
