namespace Epsilon.Actors.Http.Server.Static;

/// <summary>
/// Options of <see cref="StaticFileHandler"/>. Immutable; change with <c>with</c>. Validation happens in
/// the init accessors, so an invalid copy cannot exist.
/// </summary>
public sealed record StaticFileOptions
{
    private readonly int _chunkSize = 64 * 1024;

    /// <summary>The default options.</summary>
    public static StaticFileOptions Default { get; } = new();

    /// <summary>
    /// Bytes read from disk per chunk; a chunk is read only when the client has taken the previous
    /// ones. 1 KiB–4 MiB. Defaults to 64 KiB.
    /// </summary>
    public int ChunkSize
    {
        get => _chunkSize;
        init => _chunkSize = value is >= 1024 and <= 4 * 1024 * 1024
            ? value
            : throw new ArgumentOutOfRangeException(nameof(ChunkSize), value, "ChunkSize must be 1 KiB–4 MiB.");
    }

    /// <summary>
    /// The Cache-Control value of every file response, or null for none. Defaults to <c>no-cache</c>:
    /// caches keep the file but revalidate, which ETag makes a cheap 304.
    /// </summary>
    public string? CacheControl { get; init; } = "no-cache";

    /// <summary>The file served for a directory URL ending in '/', or null to answer 404. Defaults to <c>index.html</c>.</summary>
    public string? IndexFile { get; init; } = "index.html";

    /// <summary>
    /// Whether files whose extension is not in <see cref="ContentTypeTable"/> are served, as
    /// <c>application/octet-stream</c>. Defaults to true; false answers 404 for them.
    /// </summary>
    public bool ServeUnknownFileTypes { get; init; } = true;

    /// <summary>Whether names starting with '.' (<c>.git</c>, <c>.env</c>) are served. Defaults to false (404).</summary>
    public bool AllowDotFiles { get; init; }
}
