using System.Buffers;
using Xunit;

namespace Epsilon.Actors.Tests.TestKit;

/// <summary>
/// Feeds one input to fresh parser sessions in every shape the network can produce and asserts
/// the transcripts are identical (house rule 2): whole; as one sequence of one-byte segments;
/// as one sequence split in two at every offset; byte by byte with the unconsumed rest kept and
/// the new byte appended; and in two calls split at every offset. Inputs longer than
/// <see cref="AllOffsetsUpTo"/> bytes are split at about that many evenly spaced offsets.
/// </summary>
public static class SplitEverywhere
{
    /// <summary>Inputs up to this length are split at every offset.</summary>
    public const int AllOffsetsUpTo = 1500;

    /// <summary>Runs every shape; returns the session of the whole-input run for further assertions.</summary>
    public static TSession Run<TSession>(byte[] input, Func<TSession> newSession)
        where TSession : IIncrementalSession
    {
        var whole = newSession();
        var consumed = whole.Feed(new ReadOnlySequence<byte>(input));
        var expected = Result(whole, input.Length - consumed);

        Check("one-byte segments", expected, input, newSession, s => OneCall(s, TestSegment.Sequence([.. input.Select((_, i) => new ReadOnlyMemory<byte>(input, i, 1))]), input.Length));
        foreach (var k in Offsets(input.Length))
        {
            Check($"two segments at {k}", expected, input, newSession, s => OneCall(s, TestSegment.Sequence(input.AsMemory(0, k), input.AsMemory(k)), input.Length));
            Check($"two calls at {k}", expected, input, newSession, s => Incremental(s, input, [k, input.Length]));
        }

        Check("byte by byte", expected, input, newSession, s => Incremental(s, input, [.. Enumerable.Range(1, input.Length)]));
        return whole;
    }

    private static IEnumerable<int> Offsets(int length)
    {
        if (length <= AllOffsetsUpTo) return Enumerable.Range(1, Math.Max(0, length - 1));
        var step = length / AllOffsetsUpTo;
        return Enumerable.Range(1, length - 1).Where(k => k % step == 0 || k < 64 || k > length - 64);
    }

    private static void Check<TSession>(string shape, string expected, byte[] input, Func<TSession> newSession, Func<TSession, string> run)
        where TSession : IIncrementalSession
    {
        var actual = run(newSession());
        if (actual != expected)
            Assert.Fail($"{shape} of a {input.Length}-byte input differs.\nexpected: {expected}\nactual:   {actual}");
    }

    private static string OneCall(IIncrementalSession session, ReadOnlySequence<byte> sequence, int length) =>
        Result(session, length - session.Feed(sequence));

    /// <summary>Feeds input[..cuts[0]], then up to cuts[1], …; each call sees the unconsumed rest plus the new bytes as two segments.</summary>
    private static string Incremental(IIncrementalSession session, byte[] input, int[] cuts)
    {
        // The unconsumed bytes are always input[start..from): consumption only ever takes a prefix.
        var start = 0;
        var from = 0;
        foreach (var cut in cuts)
        {
            var consumed = session.Feed(TestSegment.Sequence(input.AsMemory(start, from - start), input.AsMemory(from, cut - from)));
            from = cut;
            if (session.Failed) return Result(session, 0);
            start += (int)consumed;
        }

        return Result(session, from - start);
    }

    private static string Result(IIncrementalSession session, long unconsumed) =>
        session.Failed ? session.Transcript : $"{session.Transcript}|unconsumed={unconsumed}";
}
