using Epsilon.Actors.Http.Model;

namespace Epsilon.Actors.Http.Server.Middleware;

/// <summary>
/// Pure decisions of response compression: whether a response's type can vary by encoding
/// (<see cref="IsCompressible"/>, which also decides <c>Vary: Accept-Encoding</c>), and whether this
/// response is compressed (<see cref="ShouldCompress"/>).
/// </summary>
internal static class CompressionPolicy
{
    /// <summary>True for text, JSON/XML families and the configured types.</summary>
    public static bool IsCompressible(ContentType? type, CompressionOptions options)
    {
        if (type is null) return false;
        var media = type.MediaType;
        return type.IsText
            || media.EndsWith("+json", StringComparison.Ordinal)
            || media.EndsWith("+xml", StringComparison.Ordinal)
            || options.CompressibleTypes.Contains(media);
    }

    /// <summary>
    /// True when the response should be encoded: a compressible type, a status that carries content
    /// and is not 206, not HEAD, no Content-Encoding or Content-Range already, no
    /// <c>Cache-Control: no-transform</c> (RFC 9111 §5.2.2.6), and a body not known to be shorter than
    /// <see cref="CompressionOptions.MinimumLength"/>.
    /// </summary>
    public static bool ShouldCompress(HttpMethod method, HttpResponse response, CompressionOptions options)
    {
        if (method == HttpMethod.Head) return false;
        var status = response.StatusCode;
        if (!status.AllowsEntity || status == StatusCode.PartialContent) return false;
        if (!IsCompressible(response.Entity.ContentType, options)) return false;
        if (response.Headers.Contains(KnownHeader.ContentEncoding) || response.Headers.Contains(KnownHeader.ContentRange)) return false;
        if (response.Headers.Get(KnownHeader.CacheControl) is { } cc && cc.Contains("no-transform", StringComparison.OrdinalIgnoreCase)) return false;
        return response.Entity.ContentLength is not { } length || length >= options.MinimumLength;
    }
}
