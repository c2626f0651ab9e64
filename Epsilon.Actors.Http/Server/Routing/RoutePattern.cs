namespace Epsilon.Actors.Http.Server.Routing;

/// <summary>
/// A parsed path pattern: <c>/users/{id}</c>, <c>/api/*</c>, <c>/files/{*rest}</c>. Pure and
/// immutable. Rules:
/// <list type="bullet">
/// <item>Segments are separated by <c>/</c>; literals match case-sensitively (RFC 3986 §6.2.2.1), against the
/// percent-decoded path segment.</item>
/// <item><c>{name}</c> matches exactly one non-empty segment and captures it, percent-decoded.</item>
/// <item>A last segment <c>*</c> or <c>{*name}</c> matches the rest of the path, zero or more segments
/// (so <c>/api/*</c> matches <c>/api</c>, <c>/api/</c> and <c>/api/a/b</c>), captured under <c>*</c> or
/// <c>name</c> without its leading slash and still percent-encoded (a path, not one value).</item>
/// <item>A trailing slash is significant: <c>/users</c> does not match <c>/users/</c>.</item>
/// </list>
/// </summary>
internal sealed class RoutePattern
{
    private readonly Segment[] _segments;

    private RoutePattern(string text, Segment[] segments, string? catchAll)
    {
        Text = text;
        _segments = segments;
        CatchAllName = catchAll;
    }

    /// <summary>The pattern as written.</summary>
    public string Text { get; }

    /// <summary>The capture name of a trailing wildcard, or null.</summary>
    public string? CatchAllName { get; }

    /// <summary>True when the pattern captures anything.</summary>
    public bool HasCaptures => CatchAllName is not null || Array.Exists(_segments, s => s.IsParameter);

    /// <summary>Parses a pattern; throws <see cref="ArgumentException"/> explaining what is wrong.</summary>
    public static RoutePattern Parse(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (!pattern.StartsWith('/')) throw new ArgumentException($"Route pattern '{pattern}' must start with '/'.", nameof(pattern));
        var parts = pattern[1..].Split('/');
        var segments = new List<Segment>(parts.Length);
        string? catchAll = null;
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            var last = i == parts.Length - 1;
            if (part == "*" || (part.StartsWith("{*", StringComparison.Ordinal) && part.EndsWith('}')))
            {
                if (!last) throw new ArgumentException($"Route pattern '{pattern}': a wildcard must be the last segment.", nameof(pattern));
                catchAll = part == "*" ? "*" : part[2..^1].TrimStart('*');
                if (catchAll.Length == 0) throw new ArgumentException($"Route pattern '{pattern}': empty wildcard name.", nameof(pattern));
                if (!names.Add(catchAll)) throw new ArgumentException($"Route pattern '{pattern}' repeats the name '{catchAll}'.", nameof(pattern));
                break;
            }

            if (part.StartsWith('{') && part.EndsWith('}'))
            {
                var name = part[1..^1];
                if (name.Length == 0 || name.AsSpan().IndexOfAny("{}/*") >= 0)
                    throw new ArgumentException($"Route pattern '{pattern}': bad parameter '{part}'.", nameof(pattern));
                if (!names.Add(name)) throw new ArgumentException($"Route pattern '{pattern}' repeats the name '{name}'.", nameof(pattern));
                segments.Add(new Segment(name, IsParameter: true));
                continue;
            }

            if (part.AsSpan().IndexOfAny("{}*") >= 0)
                throw new ArgumentException($"Route pattern '{pattern}': '{part}' mixes a literal with '{{', '}}' or '*'; parameters take a whole segment.", nameof(pattern));
            segments.Add(new Segment(part, IsParameter: false));
        }

        return new RoutePattern(pattern, [.. segments], catchAll);
    }

    /// <summary>
    /// Matches <paramref name="path"/> (percent-encoded, starting with '/', no query). On success
    /// returns true and, when the pattern captures, a new dictionary of values; otherwise null.
    /// </summary>
    public bool TryMatch(string path, out Dictionary<string, string>? values)
    {
        values = null;
        if (path.Length == 0 || path[0] != '/') return false;
        var position = 1;
        foreach (var segment in _segments)
        {
            if (position > path.Length) return false;
            var end = path.IndexOf('/', position);
            if (end < 0) end = path.Length;
            var raw = path.AsSpan(position, end - position);
            if (segment.IsParameter)
            {
                if (raw.IsEmpty) return false;
                values ??= new Dictionary<string, string>(StringComparer.Ordinal);
                values[segment.Text] = Decode(raw);
            }
            else if (!LiteralEquals(segment.Text, raw))
            {
                if (values is not null) values = null;
                return false;
            }

            position = end + 1;
        }

        if (CatchAllName is not null)
        {
            values ??= new Dictionary<string, string>(StringComparer.Ordinal);
            values[CatchAllName] = position >= path.Length ? "" : path[position..];
            return true;
        }

        // Every segment consumed: the path must end exactly here.
        if (position == path.Length + 1) return true;
        values = null;
        return false;
    }

    /// <summary>The pattern text.</summary>
    public override string ToString() => Text;

    private static bool LiteralEquals(string literal, ReadOnlySpan<char> raw) =>
        raw.Contains('%') ? literal == Decode(raw) : raw.SequenceEqual(literal);

    private static string Decode(ReadOnlySpan<char> raw) => raw.Contains('%') ? Uri.UnescapeDataString(raw.ToString()) : raw.ToString();

    private readonly record struct Segment(string Text, bool IsParameter);
}
