using System.Text;
using Akka.Actor;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using BenchmarkDotNet.Attributes;
using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server;
using Epsilon.Actors.Http.Server.Routing;
using Epsilon.Actors.Http.Settings;

namespace Epsilon.Actors.Bench.Micro;

/// <summary>
/// The server stage in steady state, without sockets: a materialized connection flow
/// (<c>ServerBlueprint.Connection</c>, the stage a bound server runs per connection) fed 100
/// byte chunks of 100 pipelined <c>GET /plaintext</c> requests each (wrk's request shape), routed
/// to a cached 13-byte text response, the rendered bytes counted by a sink. One operation is one
/// request; the flow's materialization (once per 10,000 requests) is included, spread over them.
/// </summary>
/// <remarks>
/// What a request costs beyond the request object: the rendered response's array and its
/// <c>ByteString</c> (the transport owns the bytes until written). The request's target string
/// and header list are reused from the previous identical request.
/// </remarks>
[BenchmarkCategory("Http")]
public class Http1ServerStageBench
{
    private const int RequestsPerChunk = 100;
    private const int Chunks = 100;

    private static readonly HttpResponse s_hello = HttpResponse.Text("Hello, World!");

    private ActorSystem _system = null!;
    private IMaterializer _materializer = null!;
    private ByteString _pipelined = null!;
    private Flow<ByteString, ByteString, Akka.NotUsed> _connection = null!;

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("stage-bench", "akka.loglevel = WARNING");
        _materializer = _system.Materializer();
        var request = "GET /plaintext HTTP/1.1\r\nHost: localhost:8080\r\nAccept: text/plain,text/html;q=0.9\r\nConnection: keep-alive\r\n\r\n";
        _pipelined = ByteString.FromBytes(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(request, RequestsPerChunk))));
        var handler = new ServerHandler(HttpHandlers.Guard(new HttpRoutes().Get("/plaintext", _ => s_hello)), false, null);
        _connection = ServerBlueprint.Connection(new HttpServerSettings(), _ => handler, null, null, null);
        var responses = Run();
        if (responses != RequestsPerChunk * Chunks) throw new InvalidOperationException($"expected {RequestsPerChunk * Chunks} responses, counted {responses}");
    }

    [GlobalCleanup]
    public void Cleanup() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    [Benchmark(Description = "pipelined GET /plaintext -> cached 13-byte response, per request", OperationsPerInvoke = RequestsPerChunk * Chunks)]
    public long Plaintext() => Run();

    private long Run() =>
        Source.Repeat(_pipelined).Take(Chunks)
            .Via(_connection)
            .RunAggregate(0L, (n, bytes) => n + CountResponses(bytes), _materializer)
            .GetAwaiter().GetResult();

    /// <summary>Counts status lines, so the result proves every request was answered.</summary>
    private static long CountResponses(ByteString bytes)
    {
        var span = bytes.ToReadOnlySpan();
        long count = 0;
        int index;
        while ((index = span.IndexOf("HTTP/1.1 200"u8)) >= 0)
        {
            count++;
            span = span[(index + 12)..];
        }

        return count;
    }
}
