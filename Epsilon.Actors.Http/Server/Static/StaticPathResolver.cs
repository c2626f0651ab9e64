namespace Epsilon.Actors.Http.Server.Static;

/// <summary>
/// Maps a URL path under a static root to a file or directory, refusing everything that could
/// leave the root. The path arrives percent-encoded; each segment is decoded on its own, so an
/// encoded slash cannot join segments. Refused with <see cref="StaticPathKind.BadRequest"/>: bad
/// percent-encoding, a decoded <c>..</c> or <c>.</c> segment, an empty inner segment, a backslash,
/// slash, colon or NUL inside a segment. Answered <see cref="StaticPathKind.NotFound"/> (revealing
/// nothing): missing entries, dot-files unless allowed, and symbolic links (at any depth) whose
/// final target is outside the root. The root itself is resolved to its real path once.
/// Reads only file-system metadata; thread-safe.
/// </summary>
internal sealed class StaticPathResolver
{
    private readonly string _root;
    private readonly bool _allowDotFiles;

    /// <summary>A resolver for <paramref name="root"/>; throws <see cref="DirectoryNotFoundException"/> when it is not a directory.</summary>
    public StaticPathResolver(string root, bool allowDotFiles)
    {
        var full = Path.GetFullPath(root);
        var info = new DirectoryInfo(full);
        if (!info.Exists) throw new DirectoryNotFoundException($"Static root '{full}' does not exist.");
        _root = Path.TrimEndingDirectorySeparator(info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? info.FullName);
        _allowDotFiles = allowDotFiles;
    }

    /// <summary>The real path of the root.</summary>
    public string Root => _root;

    /// <summary>Resolves <paramref name="encodedRelativePath"/> (no leading slash; may end with '/').</summary>
    public StaticPathResult Resolve(string encodedRelativePath)
    {
        var current = _root;
        if (encodedRelativePath.Length == 0) return new StaticPathResult(StaticPathKind.Directory, current);
        var segments = encodedRelativePath.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            var raw = segments[i];
            if (raw.Length == 0)
            {
                if (i == segments.Length - 1) break; // a trailing slash names the directory itself
                return StaticPathResult.BadRequest;
            }

            if (!TryDecode(raw, out var segment)) return StaticPathResult.BadRequest;
            if (segment is "." or ".." || segment.AsSpan().IndexOfAny("/\\:\0") >= 0) return StaticPathResult.BadRequest;
            if (!_allowDotFiles && segment.StartsWith('.')) return StaticPathResult.NotFound;
            var next = Path.Join(current, segment);
            FileSystemInfo entry = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (entry.LinkTarget is not null)
            {
                var target = entry.ResolveLinkTarget(returnFinalTarget: true);
                if (target is null || !target.Exists || !IsUnderRoot(target.FullName)) return StaticPathResult.NotFound;
                next = target.FullName;
            }
            else if (!entry.Exists)
            {
                return StaticPathResult.NotFound;
            }

            current = next;
        }

        if (Directory.Exists(current)) return new StaticPathResult(StaticPathKind.Directory, current);
        return encodedRelativePath.EndsWith('/') ? StaticPathResult.NotFound : new StaticPathResult(StaticPathKind.File, current);
    }

    private bool IsUnderRoot(string fullPath)
    {
        var trimmed = Path.TrimEndingDirectorySeparator(fullPath);
        return trimmed == _root || trimmed.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    // Strict percent-decoding (RFC 3986 §2.1): every '%' takes two hex digits; bytes are UTF-8.
    private static bool TryDecode(string raw, out string decoded)
    {
        decoded = raw;
        if (!raw.Contains('%')) return true;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != '%') continue;
            if (i + 2 >= raw.Length || !char.IsAsciiHexDigit(raw[i + 1]) || !char.IsAsciiHexDigit(raw[i + 2])) return false;
            i += 2;
        }

        decoded = Uri.UnescapeDataString(raw);
        return true;
    }
}
