using System.Collections.Frozen;
using Epsilon.Actors.Http.Model;

namespace Epsilon.Actors.Http.Server.Static;

/// <summary>
/// File extension to content type, for static files. Text types carry <c>charset=utf-8</c>. Pure
/// and immutable; extensions compare case-insensitively, with or without the leading dot.
/// </summary>
public static class ContentTypeTable
{
    private static readonly FrozenDictionary<string, ContentType> s_byExtension = Build();

    /// <summary>The content type for <paramref name="fileName"/>'s extension, or null when unknown.</summary>
    public static ContentType? ForFileName(string fileName)
    {
        var ext = Path.GetExtension(fileName);
        return ext.Length > 1 && s_byExtension.TryGetValue(ext[1..], out var type) ? type : null;
    }

    /// <summary>The content type for an extension (<c>"css"</c> or <c>".css"</c>), or null when unknown.</summary>
    public static ContentType? ForExtension(string extension)
    {
        var ext = extension.StartsWith('.') ? extension[1..] : extension;
        return s_byExtension.TryGetValue(ext, out var type) ? type : null;
    }

    private static FrozenDictionary<string, ContentType> Build()
    {
        var map = new Dictionary<string, ContentType>(StringComparer.OrdinalIgnoreCase);
        void Text(string media, params string[] exts)
        {
            var type = new ContentType(media, "utf-8");
            foreach (var e in exts) map[e] = type;
        }

        void Binary(string media, params string[] exts)
        {
            var type = new ContentType(media);
            foreach (var e in exts) map[e] = type;
        }

        Text("text/html", "html", "htm");
        Text("text/css", "css");
        Text("text/javascript", "js", "mjs");
        Text("text/plain", "txt", "text", "log");
        Text("text/markdown", "md");
        Text("text/csv", "csv");
        Text("text/xml", "xml");
        Text("image/svg+xml", "svg");
        Text("application/json", "json", "map");
        Text("application/manifest+json", "webmanifest");
        Binary("application/wasm", "wasm");
        Binary("application/pdf", "pdf");
        Binary("application/zip", "zip");
        Binary("application/gzip", "gz");
        Binary("application/x-tar", "tar");
        Binary("application/octet-stream", "bin");
        Binary("image/png", "png");
        Binary("image/jpeg", "jpg", "jpeg");
        Binary("image/gif", "gif");
        Binary("image/webp", "webp");
        Binary("image/avif", "avif");
        Binary("image/x-icon", "ico");
        Binary("font/woff", "woff");
        Binary("font/woff2", "woff2");
        Binary("font/ttf", "ttf");
        Binary("font/otf", "otf");
        Binary("audio/mpeg", "mp3");
        Binary("audio/ogg", "ogg");
        Binary("audio/wav", "wav");
        Binary("video/mp4", "mp4");
        Binary("video/webm", "webm");
        return map.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }
}
