using System.Globalization;
using System.Security.Cryptography;
using Akka;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server;
using Epsilon.Actors.Http.Server.Routing;

namespace Epsilon.Actors.Tests.Conformance.Proxies;

/// <summary>
/// The application the proxy tests put behind nginx and HAProxy. It counts the requests it serves
/// (<see cref="Requests"/>), which the tests hold against the connections the server accepted.
/// <list type="bullet">
/// <item><c>GET /hello</c>: <c>Hello, World!</c>, a cached strict response.</item>
/// <item><c>GET /stream/{size}</c>: <see cref="Pattern"/> bytes of that size as a streamed entity of
/// unknown length (chunked on the wire), in chunks of irregular sizes.</item>
/// <item><c>POST /sha256</c>: reads the body as a stream and answers
/// <c>&lt;length&gt; &lt;sha-256 hex&gt; &lt;chunked|length&gt;</c>, the last word saying how the body was framed.</item>
/// <item><c>POST /echo</c>: answers the body it read, byte for byte.</item>
/// </list>
/// </summary>
internal sealed class UpstreamApp(IMaterializer materializer)
{
    public const string HelloText = "Hello, World!";

    private static readonly HttpResponse s_hello = HttpResponse.Text(HelloText);

    private int _requests;

    /// <summary>Requests served so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The routes as one handler.</summary>
    public HttpHandler Handler => new HttpRoutes()
        .Get("/hello", request =>
        {
            Interlocked.Increment(ref _requests);
            return s_hello;
        })
        .Get("/stream/{size}", request =>
        {
            Interlocked.Increment(ref _requests);
            var size = int.Parse(request.Param("size")!, CultureInfo.InvariantCulture);
            return HttpResponse.Stream(Chunks(size), ContentType.ApplicationOctetStream, contentLength: null);
        })
        .Post("/sha256", async request =>
        {
            Interlocked.Increment(ref _requests);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var length = await request.Entity.DataBytes.RunAggregate(0L, (total, chunk) =>
            {
                hash.AppendData(chunk.ToReadOnlySpan());
                return total + chunk.Count;
            }, materializer);
            var framing = request.Entity.ContentLength is null ? "chunked" : "length";
            return HttpResponse.Text($"{length} {Convert.ToHexStringLower(hash.GetHashAndReset())} {framing}");
        })
        .Post("/echo", async request =>
        {
            Interlocked.Increment(ref _requests);
            var body = await request.Entity.ToStrictAsync(64 * 1024 * 1024, TimeSpan.FromSeconds(20), materializer);
            return HttpResponse.Bytes(body.Data);
        });

    /// <summary>Deterministic bytes of <paramref name="length"/> (a fixed-seed generator), the same on both sides.</summary>
    public static byte[] Pattern(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }

    /// <summary>The pattern cut into chunks of 1 to 9,000 bytes (a fixed sequence), so chunk boundaries fall everywhere.</summary>
    private static Source<ByteString, NotUsed> Chunks(int size)
    {
        var bytes = Pattern(size);
        var cuts = new List<ByteString>();
        var sizes = new Random(7);
        for (var offset = 0; offset < size;)
        {
            var n = Math.Min(size - offset, sizes.Next(1, 9_000));
            cuts.Add(ByteString.CopyFrom(bytes, offset, n));
            offset += n;
        }

        return Source.From(cuts);
    }
}
