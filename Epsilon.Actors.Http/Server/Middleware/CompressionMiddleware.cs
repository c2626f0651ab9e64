using Akka.IO;
using Epsilon.Actors.Http.Model;

namespace Epsilon.Actors.Http.Server.Middleware;

/// <summary>
/// Compresses response bodies with brotli or gzip as the request's <c>Accept-Encoding</c> allows
/// (q-values honoured, see <see cref="AcceptEncodingNegotiator"/>). Strict bodies are compressed at
/// once (Content-Length is the compressed size); streamed bodies pass through a compressing stage
/// chunk by chunk with back-pressure and are sent with unknown length. Every response of a
/// compressible type gets <c>Vary: Accept-Encoding</c>, compressed or not; a strong ETag of a
/// compressed response becomes weak, since the bytes differ. Skipped: non-compressible types,
/// bodies shorter than <see cref="CompressionOptions.MinimumLength"/>, responses already encoded,
/// 204/304/206, HEAD, and <c>Cache-Control: no-transform</c>. Thread-safe.
/// </summary>
public sealed class CompressionMiddleware : IHttpMiddleware
{
    private readonly CompressionOptions _options;

    /// <summary>Compression with <paramref name="options"/> (<see cref="CompressionOptions.Default"/> when null).</summary>
    public CompressionMiddleware(CompressionOptions? options = null) => _options = options ?? CompressionOptions.Default;

    /// <inheritdoc />
    public HttpHandler Wrap(HttpHandler next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return request =>
        {
            var pending = next(request);
            return pending.IsCompletedSuccessfully
                ? new ValueTask<HttpResponse>(Apply(request, pending.Result))
                : ApplyAsync(request, pending);
        };
    }

    /// <summary>The response encoded for <paramref name="request"/>, or as it is when not applicable.</summary>
    public HttpResponse Apply(HttpRequest request, HttpResponse response)
    {
        if (!CompressionPolicy.IsCompressible(response.Entity.ContentType, _options) || !response.StatusCode.AllowsEntity) return response;
        var headers = AddVary(response.Headers);
        if (!CompressionPolicy.ShouldCompress(request.Method, response, _options)) return response.WithHeaders(headers);
        var coding = AcceptEncodingNegotiator.Select(request.Headers.Get(KnownHeader.AcceptEncoding), _options.CodingSpan);
        if (coding == ContentCoding.Identity) return response.WithHeaders(headers);

        headers = headers.Set(new HttpHeader(KnownHeader.ContentEncoding, AcceptEncodingNegotiator.Token(coding)));
        if (headers.Get(KnownHeader.ETag) is { } etag && etag.StartsWith('"')) headers = headers.Set(new HttpHeader(KnownHeader.ETag, "W/" + etag));
        HttpEntity entity = response.Entity switch
        {
            HttpEntity.Strict strict => new HttpEntity.Strict(
                strict.ContentType, ByteString.FromBytes(CompressorStage.CompressAll(strict.Data.ToReadOnlySpan(), coding, _options.Level))),
            var streamed => new HttpEntity.Streamed(
                streamed.ContentType, null, streamed.DataBytes.Via(new CompressorStage(coding, _options.Level))),
        };
        return new HttpResponse(response.StatusCode, headers, entity);
    }

    private async ValueTask<HttpResponse> ApplyAsync(HttpRequest request, ValueTask<HttpResponse> pending) =>
        Apply(request, await pending.ConfigureAwait(false));

    private static HttpHeaders AddVary(HttpHeaders headers)
    {
        var vary = headers.Get(KnownHeader.Vary);
        if (vary is null) return headers.Add(new HttpHeader(KnownHeader.Vary, "Accept-Encoding"));
        if (vary.Trim() == "*" || vary.Contains("accept-encoding", StringComparison.OrdinalIgnoreCase)) return headers;
        return headers.Set(new HttpHeader(KnownHeader.Vary, vary + ", Accept-Encoding"));
    }
}
