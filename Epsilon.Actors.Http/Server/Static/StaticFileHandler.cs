using Akka;
using Akka.IO;
using Akka.Streams.Dsl;
using Epsilon.Actors.Http.Model;

namespace Epsilon.Actors.Http.Server.Static;

/// <summary>
/// Serves files from one directory. Mounted by <see cref="Routing.HttpRoutes.Static"/>, which passes the
/// path below the prefix as the route value <see cref="PathValue"/>.
/// <list type="bullet">
/// <item>Content type from the extension (<see cref="ContentTypeTable"/>); ETag (size and modification
/// time), Last-Modified, Cache-Control (<see cref="StaticFileOptions.CacheControl"/>), Accept-Ranges.</item>
/// <item>If-Match / If-Unmodified-Since → 412; If-None-Match / If-Modified-Since → 304 (RFC 9110 §13.2.2).</item>
/// <item>GET with one satisfiable Range → 206 with Content-Range (honouring If-Range); several ranges →
/// the whole file with 200 (see <see cref="ByteRangeParser"/>); none satisfiable → 416 with
/// <c>Content-Range: bytes */length</c>.</item>
/// <item>Traversal refused: 400 for malformed or hostile paths, 404 for links out of the root and
/// dot-files (see <see cref="StaticPathResolver"/>). A directory URL without its trailing slash
/// redirects (301) to it; with it, the index file is served.</item>
/// <item>A body of at most one <see cref="StaticFileOptions.ChunkSize"/> is read at once into a strict
/// entity (one read from the page cache costs far less than running a file stream per response);
/// a larger one is streamed from disk in chunks, each read only on demand, the file opened when the
/// body is first pulled. HEAD never opens the file.</item>
/// </list>
/// Thread-safe; one instance serves all requests.
/// </summary>
public sealed class StaticFileHandler
{
    /// <summary>The route value holding the encoded path below the mount prefix.</summary>
    public const string PathValue = "staticPath";

    private readonly StaticPathResolver _resolver;
    private readonly StaticFileOptions _options;

    /// <summary>A handler for <paramref name="directory"/>; throws <see cref="DirectoryNotFoundException"/> if it does not exist.</summary>
    public StaticFileHandler(string directory, StaticFileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        _options = options ?? StaticFileOptions.Default;
        _resolver = new StaticPathResolver(directory, _options.AllowDotFiles);
    }

    /// <summary>The real path of the directory served.</summary>
    public string Root => _resolver.Root;

    /// <summary>Answers one GET or HEAD request; synchronous apart from metadata reads.</summary>
    public ValueTask<HttpResponse> HandleAsync(HttpRequest request) => new(Handle(request));

    private HttpResponse Handle(HttpRequest request)
    {
        var relative = request.Param(PathValue) ?? request.Param("*") ?? "";
        var resolved = _resolver.Resolve(relative);
        switch (resolved.Kind)
        {
            case StaticPathKind.BadRequest:
                return HttpResponse.StatusText(StatusCode.BadRequest);
            case StaticPathKind.NotFound:
                return HttpResponse.StatusText(StatusCode.NotFound);
            case StaticPathKind.Directory:
                if (!request.Path.EndsWith('/'))
                {
                    var location = request.Path + "/" + (request.Query.Length > 0 ? "?" + request.Query : "");
                    return HttpResponse.Redirect(location, StatusCode.MovedPermanently);
                }

                if (_options.IndexFile is null) return HttpResponse.StatusText(StatusCode.NotFound);
                var index = _resolver.Resolve(relative + Uri.EscapeDataString(_options.IndexFile));
                if (index.Kind != StaticPathKind.File) return HttpResponse.StatusText(StatusCode.NotFound);
                return ServeFile(request, new FileInfo(index.FullPath!));
            default:
                return ServeFile(request, new FileInfo(resolved.FullPath!));
        }
    }

    private HttpResponse ServeFile(HttpRequest request, FileInfo file)
    {
        var contentType = ContentTypeTable.ForFileName(file.Name);
        if (contentType is null)
        {
            if (!_options.ServeUnknownFileTypes) return HttpResponse.StatusText(StatusCode.NotFound);
            contentType = ContentType.ApplicationOctetStream;
        }

        file.Refresh();
        if (!file.Exists) return HttpResponse.StatusText(StatusCode.NotFound);
        var length = file.Length;
        var lastModified = HttpDate.TruncateToSeconds(file.LastWriteTimeUtc);
        var etag = $"\"{length:x}-{lastModified.UtcTicks / TimeSpan.TicksPerSecond:x}\"";
        var validators = HttpHeaders.CreateBuilder(5)
            .Add(new HttpHeader(KnownHeader.ETag, etag))
            .Add(new HttpHeader(KnownHeader.LastModified, HttpDate.Format(lastModified)));
        if (_options.CacheControl is { } cacheControl) validators.Add(new HttpHeader(KnownHeader.CacheControl, cacheControl));

        switch (ConditionalRequest.Evaluate(request.Method, request.Headers, etag, lastModified))
        {
            case ConditionalOutcome.NotModified:
                return new HttpResponse(StatusCode.NotModified, validators.Build());
            case ConditionalOutcome.PreconditionFailed:
                return HttpResponse.StatusText(StatusCode.PreconditionFailed);
        }

        validators.Add(new HttpHeader(KnownHeader.AcceptRanges, "bytes"));
        var range = request.Method == HttpMethod.Get && ConditionalRequest.RangeAllowed(request.Headers, etag, lastModified)
            ? ByteRangeParser.Evaluate(request.Headers.Get(KnownHeader.Range), length)
            : ByteRangeResult.Full;
        switch (range.Kind)
        {
            case ByteRangeKind.Unsatisfiable:
                validators.Add(new HttpHeader(KnownHeader.ContentRange, ByteRangeParser.UnsatisfiedContentRange(length)));
                return new HttpResponse(StatusCode.RangeNotSatisfiable, validators.Build());
            case ByteRangeKind.Partial:
                validators.Add(new HttpHeader(KnownHeader.ContentRange, ByteRangeParser.ContentRange(range.Start, range.Length, length)));
                return new HttpResponse(StatusCode.PartialContent, validators.Build(), Body(request, file, contentType, range.Start, range.Length));
            default:
                return new HttpResponse(StatusCode.OK, validators.Build(), Body(request, file, contentType, 0, length));
        }
    }

    private HttpEntity Body(HttpRequest request, FileInfo file, ContentType contentType, long start, long length)
    {
        if (length == 0) return new HttpEntity.Strict(contentType, ByteString.Empty);
        if (length <= _options.ChunkSize && request.Method != HttpMethod.Head && ReadWhole(file, start, length) is { } data)
            return new HttpEntity.Strict(contentType, data);
        var source = Source.FromGraph(new FileRangeSource(file.FullName, start, length, _options.ChunkSize));
        return new HttpEntity.Streamed(contentType, length, source);
    }

    /// <summary>
    /// The <paramref name="length"/> bytes at <paramref name="start"/>, or null when the file changed
    /// size since it was measured or cannot be read now (the streamed path then answers, or fails,
    /// as for any large file).
    /// </summary>
    private static ByteString? ReadWhole(FileInfo file, long start, long length)
    {
        try
        {
            using var handle = File.OpenHandle(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var buffer = new byte[length];
            var total = 0;
            while (total < buffer.Length)
            {
                var read = RandomAccess.Read(handle, buffer.AsSpan(total), start + total);
                if (read == 0) return null;
                total += read;
            }

            return ByteString.FromBytes(buffer);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
