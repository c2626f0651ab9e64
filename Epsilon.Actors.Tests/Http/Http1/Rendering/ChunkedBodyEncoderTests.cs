using System.Buffers;
using System.Text;
using CsCheck;
using Epsilon.Actors.Http.Http1.Parsing;
using Epsilon.Actors.Http.Http1.Rendering;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Http1.Rendering;

[Trait("Category", "Unit")]
public sealed class ChunkedBodyEncoderTests
{
    [Fact]
    public void Writes_chunks_in_hex_then_the_last_chunk()
    {
        var output = new ArrayBufferWriter<byte>();
        ChunkedBodyEncoder.WriteChunk(output, "hello"u8);
        ChunkedBodyEncoder.WriteChunk(output, []);
        ChunkedBodyEncoder.WriteChunk(output, new byte[26]);
        ChunkedBodyEncoder.WriteLastChunk(output);
        Assert.Equal("5\r\nhello\r\n1A\r\n" + new string('\0', 26) + "\r\n0\r\n\r\n", Encoding.Latin1.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Writes_trailers_after_the_last_chunk()
    {
        var output = new ArrayBufferWriter<byte>();
        ChunkedBodyEncoder.WriteChunkHeader(output, 3);
        output.Write("abc"u8);
        ChunkedBodyEncoder.WriteChunkEnd(output);
        ChunkedBodyEncoder.BeginTrailers(output);
        ChunkedBodyEncoder.WriteTrailer(output, "Checksum", "x1");
        ChunkedBodyEncoder.WriteTrailer(output, "X-B"u8, "2"u8);
        ChunkedBodyEncoder.EndTrailers(output);
        Assert.Equal("3\r\nabc\r\n0\r\nChecksum: x1\r\nX-B: 2\r\n\r\n", Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Refuses_a_chunk_header_for_no_data() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ChunkedBodyEncoder.WriteChunkHeader(new ArrayBufferWriter<byte>(), 0));

    [Fact]
    public void Random_chunkings_decode_to_the_same_bytes()
    {
        Gen.Select(Http1Gens.Body, Http1Gens.ChunkCuts, Http1Gens.Fields).Sample((body, cuts, trailers) =>
        {
            var output = new ArrayBufferWriter<byte>();
            Http1RequestWriterTests.WriteChunked(output, body, cuts, trailers);
            using var decoder = new ChunkedBodyDecoder(4096, 32 * 1024, 100, null);
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(output.WrittenMemory));
            var sink = new Sink { Body = new MemoryStream(), Trailers = [] };
            Assert.True(decoder.TryDecode(ref reader, ref sink));
            Assert.True(reader.End);
            Assert.Equal(body, sink.Body.ToArray());
            Assert.Equal(trailers, sink.Trailers);
        }, iter: 300, threads: 1);
    }

    private struct Sink : IHttp1BodyHandler
    {
        public MemoryStream Body;
        public List<(string, string)> Trailers;

        public readonly void OnBody(ReadOnlySpan<byte> data) => Body.Write(data);

        public readonly void OnTrailer(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
            Trailers.Add((Encoding.Latin1.GetString(name), Encoding.Latin1.GetString(value)));
    }
}
