using System.Buffers;
using System.Globalization;
using System.Text;
using Epsilon.Actors.Http.Http1.Parsing;
using Epsilon.Actors.Tests.TestKit;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Http1.Parsing;

/// <summary>The decoder on its own (RFC 9112 §7.1), every input split everywhere.</summary>
[Trait("Category", "Unit")]
public sealed class ChunkedBodyDecoderTests
{
    [Fact]
    public void Decodes_chunks_and_stops_right_after_the_final_CRLF()
    {
        var s = Decode("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\nNEXT");
        Assert.Equal("hello world", s.Body.ToString());
        Assert.True(s.Complete);
        Assert.EndsWith("|unconsumed=4", Transcript("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\nNEXT"));
    }

    [Fact]
    public void Hands_trailers_over_after_the_data()
    {
        var s = Decode("3\r\nabc\r\n0;last\r\nChecksum: 1234\r\nX-T:  v v \r\n\r\n");
        Assert.Equal("abc", s.Body.ToString());
        Assert.Equal(["Checksum=1234", "X-T=v v"], s.Trailers);
    }

    [Fact]
    public void An_empty_body_is_just_the_last_chunk()
    {
        var s = Decode("0\r\n\r\n");
        Assert.True(s.Complete);
        Assert.Equal("", s.Body.ToString());
    }

    [Fact]
    public void Upper_and_lower_case_hex_sizes_decode_alike()
    {
        var data = new string('q', 0xAB);
        Assert.Equal(data, Decode($"aB\r\n{data}\r\n0\r\n\r\n").Body.ToString());
        Assert.Equal(data, Decode($"AB\r\n{data}\r\n0\r\n\r\n").Body.ToString());
    }

    [Fact]
    public void Reports_incomplete_input_and_keeps_partial_size_lines()
    {
        using var decoder = new ChunkedBodyDecoder(4096, 32 * 1024, 100, null);
        var session = new Session(decoder);
        var bytes = Encoding.ASCII.GetBytes("1f");
        Assert.Equal(0, session.Feed(new ReadOnlySequence<byte>(bytes)));
        Assert.False(session.Complete);
        Assert.Equal(0, decoder.DecodedBytes);
    }

    [Fact]
    public void Counts_decoded_bytes_across_calls_and_resets_for_the_next_body()
    {
        using var decoder = new ChunkedBodyDecoder(4096, 32 * 1024, 100, null);
        var session = new Session(decoder);
        session.Feed(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("4\r\nab")));
        Assert.Equal(2, decoder.DecodedBytes);
        Assert.False(decoder.IsComplete);
        decoder.Reset();
        Assert.Equal(0, decoder.DecodedBytes);
        var again = new Session(decoder);
        again.Feed(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("1\r\nz\r\n0\r\n\r\n")));
        Assert.True(decoder.IsComplete);
        Assert.Equal("z", again.Body.ToString());
    }

    [Fact]
    public void The_body_limit_counts_decoded_bytes_only()
    {
        var s = SplitEverywhere.Run(Encoding.ASCII.GetBytes("a;ext=1\r\n0123456789\r\n0\r\n\r\n"), () => new Session(new ChunkedBodyDecoder(4096, 1024, 10, 10)));
        Assert.True(s.Complete);
        var over = SplitEverywhere.Run(Encoding.ASCII.GetBytes("a\r\n0123456789\r\n1\r\nx\r\n0\r\n\r\n"), () => new Session(new ChunkedBodyDecoder(4096, 1024, 10, 10)));
        Assert.Equal(413, over.Rejection!.StatusCode);
    }

    [Theory]
    [InlineData("5\r\nhel", "hel")]
    [InlineData("5\r\nhello", "hello")]
    [InlineData("5\r\nhello\r", "hello")]
    [InlineData("5\r\nhello\r\n0\r\n", "hello")]
    [InlineData("5\r\nhello\r\n0\r\nX: 1\r\n", "hello")]
    public void Truncated_bodies_deliver_what_arrived_and_are_not_complete(string input, string body)
    {
        var s = Decode(input);
        Assert.False(s.Complete);
        Assert.Null(s.Rejection);
        Assert.Equal(body, s.Body.ToString());
    }

    private static Session Decode(string input) =>
        SplitEverywhere.Run(Encoding.Latin1.GetBytes(input), () => new Session(new ChunkedBodyDecoder(4096, 32 * 1024, 100, null)));

    private static string Transcript(string input)
    {
        var bytes = Encoding.Latin1.GetBytes(input);
        var s = new Session(new ChunkedBodyDecoder(4096, 32 * 1024, 100, null));
        var consumed = s.Feed(new ReadOnlySequence<byte>(bytes));
        return $"{s.Transcript}|unconsumed={bytes.Length - consumed}";
    }

    private sealed class Session(ChunkedBodyDecoder decoder) : IIncrementalSession
    {
        public StringBuilder Body { get; } = new();

        public List<string> Trailers { get; } = [];

        public bool Complete { get; private set; }

        internal Http1Rejection? Rejection { get; private set; }

        public bool Failed => Rejection is not null;

        public string Transcript => $"body({Body}) trailers({string.Join(",", Trailers)}) complete={Complete} rejected={Rejection?.Reason.ToString() ?? "-"}";

        public long Feed(ReadOnlySequence<byte> buffered)
        {
            var reader = new SequenceReader<byte>(buffered);
            if (Complete || Failed) return 0;
            var handler = new Handler { Owner = this };
            try
            {
                Complete = decoder.TryDecode(ref reader, ref handler);
            }
            catch (Http1Rejection rejection)
            {
                Rejection = rejection;
            }

            return reader.Consumed;
        }

        private struct Handler : IHttp1BodyHandler
        {
            public Session Owner;

            public readonly void OnBody(ReadOnlySpan<byte> data) => Owner.Body.Append(Encoding.Latin1.GetString(data));

            public readonly void OnTrailer(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
                Owner.Trailers.Add(string.Create(CultureInfo.InvariantCulture, $"{Encoding.Latin1.GetString(name)}={Encoding.Latin1.GetString(value)}"));
        }
    }
}
