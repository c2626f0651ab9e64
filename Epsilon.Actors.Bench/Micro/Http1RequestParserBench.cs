using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Epsilon.Actors.Http.Http1.Parsing;
using Epsilon.Actors.Http.Settings;

namespace Epsilon.Actors.Bench.Micro;

/// <summary>
/// The pure <see cref="Http1RequestParser"/> on a typical 200-byte GET (the TechEmpower
/// plaintext request shape): head and (empty) body, in one segment and split across two
/// segments (the request line then crosses a segment boundary and is copied to the pooled
/// scratch). Target: 0 B allocated per request.
/// </summary>
[BenchmarkCategory("Http")]
public class Http1RequestParserBench
{
    private const string Request =
        "GET /plaintext HTTP/1.1\r\n" +
        "Host: localhost:8080\r\n" +
        "User-Agent: Mozilla/5.0 (X11; Linux x86_64) bench\r\n" +
        "Accept: text/plain,text/html;q=0.9,*/*;q=0.8\r\n" +
        "Accept-Encoding: gzip, deflate\r\n" +
        "Connection: keep-alive\r\n" +
        "\r\n";

    private readonly Http1RequestParser _parser = new(new HttpServerSettings());
    private ReadOnlySequence<byte> _whole;
    private ReadOnlySequence<byte> _split;

    [GlobalSetup]
    public void Setup()
    {
        var bytes = Encoding.ASCII.GetBytes(Request);
        if (bytes.Length is < 190 or > 210) throw new InvalidOperationException($"request is {bytes.Length} bytes, not about 200");
        _whole = new ReadOnlySequence<byte>(bytes);
        _split = Segments.Of(bytes.AsMemory(0, 10), bytes.AsMemory(10));
        if (ParseWhole() != 5 || ParseSplit() != 5) throw new InvalidOperationException("the parser did not see 5 headers");
    }

    [Benchmark(Description = "GET 200 B, one segment")]
    public int ParseWhole() => Parse(_whole);

    [Benchmark(Description = "GET 200 B, request line across two segments")]
    public int ParseSplit() => Parse(_split);

    private int Parse(ReadOnlySequence<byte> input)
    {
        var reader = new SequenceReader<byte>(input);
        var handler = default(CountingHandler);
        if (!_parser.TryParseHead(ref reader, ref handler) || !_parser.TryParseBody(ref reader, ref handler) || !reader.End)
            throw new InvalidOperationException("incomplete");
        return handler.Headers;
    }

    private struct CountingHandler : IHttp1RequestHandler
    {
        public int Headers;
        public int TargetLength;

        public void OnRequestLine(Http1RequestLine line) => TargetLength = line.Target.Length;

        public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) => Headers++;

        public readonly void OnHeadersComplete(in Http1RequestHead head)
        {
        }

        public readonly void OnBody(ReadOnlySpan<byte> data)
        {
        }

        public readonly void OnTrailer(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
        {
        }
    }

    private sealed class Segments : ReadOnlySequenceSegment<byte>
    {
        private Segments(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public static ReadOnlySequence<byte> Of(ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> second)
        {
            var a = new Segments(first, 0);
            var b = new Segments(second, first.Length);
            a.Next = b;
            return new ReadOnlySequence<byte>(a, 0, b, second.Length);
        }
    }
}
