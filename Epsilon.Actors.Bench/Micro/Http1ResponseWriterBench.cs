using System.Buffers;
using BenchmarkDotNet.Attributes;
using Epsilon.Actors.Http.Http1;
using Epsilon.Actors.Http.Http1.Parsing;
using Epsilon.Actors.Http.Http1.Rendering;

namespace Epsilon.Actors.Bench.Micro;

/// <summary>
/// <see cref="Http1ResponseWriter"/> writing the plaintext answer: status line, Content-Length,
/// Date (from the cache), Content-Type and the 13-byte body; and the same body as one chunk of a
/// chunked response. The buffer writer is reused, so the target is 0 B allocated per response.
/// </summary>
[BenchmarkCategory("Http")]
public class Http1ResponseWriterBench
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private readonly ArrayBufferWriter<byte> _output = new(1024);
    private readonly DateHeaderCache _date = new();
    private readonly Http1ResponsePlan _plan = new(200, Http1BodyFraming.ContentLength, 13, true, Http1ConnectionHeader.None, false);
    private readonly Http1ResponsePlan _chunkedPlan = new(200, Http1BodyFraming.Chunked, -1, true, Http1ConnectionHeader.None, false);

    [GlobalSetup]
    public void Setup()
    {
        if (WriteTextPlain() != 115) throw new InvalidOperationException($"unexpected response size {_output.WrittenCount}");
    }

    [Benchmark(Description = "200 text/plain, 13 B body, Content-Length")]
    public int WriteTextPlain()
    {
        _output.ResetWrittenCount();
        Http1ResponseWriter.WriteResponseHead(_output, _plan);
        Http1ResponseWriter.WriteDate(_output, _date, s_now);
        Http1ResponseWriter.WriteContentType(_output, "text/plain"u8);
        Http1ResponseWriter.EndHead(_output);
        _output.Write("Hello, World!"u8);
        return _output.WrittenCount;
    }

    [Benchmark(Description = "200 text/plain, 13 B body, chunked")]
    public int WriteChunked()
    {
        _output.ResetWrittenCount();
        Http1ResponseWriter.WriteResponseHead(_output, _chunkedPlan);
        Http1ResponseWriter.WriteDate(_output, _date, s_now);
        Http1ResponseWriter.WriteContentType(_output, "text/plain"u8);
        Http1ResponseWriter.EndHead(_output);
        ChunkedBodyEncoder.WriteChunk(_output, "Hello, World!"u8);
        ChunkedBodyEncoder.WriteLastChunk(_output);
        return _output.WrittenCount;
    }
}
