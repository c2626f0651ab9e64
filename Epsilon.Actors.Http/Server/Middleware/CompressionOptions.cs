using System.IO.Compression;

namespace Epsilon.Actors.Http.Server.Middleware;

/// <summary>
/// Options of <see cref="CompressionMiddleware"/>. Immutable; change with <c>with</c>; validated in the
/// init accessors.
/// </summary>
public sealed record CompressionOptions
{
    private readonly int _minimumLength = 1024;
    private readonly ContentCoding[] _codings = [ContentCoding.Brotli, ContentCoding.Gzip];

    /// <summary>The default options.</summary>
    public static CompressionOptions Default { get; } = new();

    /// <summary>
    /// Bodies of known length below this many bytes are sent as they are: compressing them saves
    /// less than it costs. Bodies of unknown length are always compressed. 0–1 MiB. Defaults to 1024.
    /// </summary>
    public int MinimumLength
    {
        get => _minimumLength;
        init => _minimumLength = value is >= 0 and <= 1024 * 1024
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MinimumLength), value, "MinimumLength must be 0–1 MiB.");
    }

    /// <summary>The codings offered, best first; ties in client weight go to the earlier. Defaults to br, gzip.</summary>
    public IReadOnlyList<ContentCoding> Codings
    {
        get => _codings;
        init => _codings = value is { Count: > 0 } && !value.Contains(ContentCoding.Identity)
            ? [.. value]
            : throw new ArgumentException("Codings must list at least one of Gzip and Brotli, and not Identity.", nameof(Codings));
    }

    /// <summary>The compression level for both codings. Defaults to <see cref="CompressionLevel.Fastest"/> (per-request CPU matters more than the last few percent).</summary>
    public CompressionLevel Level { get; init; } = CompressionLevel.Fastest;

    /// <summary>
    /// Media types worth compressing besides <c>text/*</c> and any <c>+json</c> / <c>+xml</c> type.
    /// Everything else (images, video, audio, archives, fonts, octet-stream) is already compressed or
    /// opaque and is sent as it is. Defaults to JSON, JavaScript, XML, WebAssembly, SVG and a few others.
    /// </summary>
    public IReadOnlySet<string> CompressibleTypes { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "application/json", "application/javascript", "application/xml", "application/wasm",
        "application/x-javascript", "application/ld+json", "application/graphql-response+json",
        "image/svg+xml", "image/x-icon", "font/ttf", "font/otf", "application/vnd.ms-fontobject",
    };

    internal ReadOnlySpan<ContentCoding> CodingSpan => _codings;
}
