using System.Buffers;
using System.Text;
using Akka.Streams.Dsl;
using Epsilon.Actors.Http.Connections;
using Epsilon.Actors.Tests.TestKit;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Connections;

[Trait("Category", "Unit")]
public sealed class ProtocolPrefaceTests
{
    private static readonly byte[] s_h2 = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    private static readonly IReadOnlyList<ServerProtocol> s_protocols =
    [
        new ServerProtocol("no-preface", _ => Flow.Create<Akka.IO.ByteString>()),
        new ServerProtocol("h2-stand-in", _ => Flow.Create<Akka.IO.ByteString>()) { Preface = s_h2 },
        new ServerProtocol("other", _ => Flow.Create<Akka.IO.ByteString>()) { Preface = "PRX!"u8.ToArray() },
    ];

    [Fact]
    public void Needs_more_for_every_proper_prefix_of_the_preface_and_nothing_received()
    {
        for (var length = 0; length < s_h2.Length; length++)
            Assert.Equal(PrefaceMatch.NeedMore, Match(s_h2[..length], out _));
    }

    [Fact]
    public void Matches_the_whole_preface_with_or_without_bytes_after_it()
    {
        Assert.Equal(PrefaceMatch.Matched, Match(s_h2, out var matched));
        Assert.Equal("h2-stand-in", matched!.Name);
        Assert.Equal(PrefaceMatch.Matched, Match([.. s_h2, .. "\0\0\x12\x04"u8.ToArray()], out matched));
        Assert.Equal("h2-stand-in", matched!.Name);
        Assert.Equal(PrefaceMatch.Matched, Match("PRX!GET"u8.ToArray(), out matched));
        Assert.Equal("other", matched!.Name);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n")]
    [InlineData("G")]
    [InlineData("POST")]
    [InlineData("PRI * HTTP/1.1\r\n")]
    [InlineData("PRI * HTTP/2.0\r\n\r\nXM")]
    public void Gives_up_as_soon_as_no_preface_can_match(string received) =>
        Assert.Equal(PrefaceMatch.None, Match(Encoding.ASCII.GetBytes(received), out _));

    [Fact]
    public void Without_preface_protocols_nothing_is_awaited()
    {
        IReadOnlyList<ServerProtocol> none = [s_protocols[0]];
        Assert.False(ProtocolPreface.AnyIn(none));
        Assert.True(ProtocolPreface.AnyIn(s_protocols));
        Assert.Equal(PrefaceMatch.None, ProtocolPreface.Match(ReadOnlySequence<byte>.Empty, none, out _));
    }

    [Fact]
    public void Decides_the_same_however_the_bytes_are_split()
    {
        SplitEverywhere.Run([.. s_h2, .. "after"u8.ToArray()], () => new Session());
        SplitEverywhere.Run("PRI * HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), () => new Session());
    }

    private static PrefaceMatch Match(byte[] received, out ServerProtocol? matched) =>
        ProtocolPreface.Match(new ReadOnlySequence<byte>(received), s_protocols, out matched);

    /// <summary>The switch's use: the whole of what was received so far, nothing consumed, until a decision.</summary>
    private sealed class Session : IIncrementalSession
    {
        public bool Failed => false;

        public string Transcript { get; private set; } = "";

        public long Feed(ReadOnlySequence<byte> buffered)
        {
            if (Transcript.Length > 0) return 0;
            var decision = ProtocolPreface.Match(buffered, s_protocols, out var matched);
            if (decision != PrefaceMatch.NeedMore) Transcript = $"{decision} {matched?.Name}";
            return 0;
        }
    }
}
