namespace Epsilon.Actors.Http.Model;

/// <summary>
/// Canonical spellings of <see cref="KnownHeader"/> names and the case-insensitive name-to-id map.
/// Parsers call <see cref="Lookup(ReadOnlySpan{byte})"/> to get an interned name string for a
/// well-known header without allocating.
/// </summary>
public static class KnownHeaders
{
    private static readonly string[] s_names =
    [
        "", "Accept", "Accept-Encoding", "Accept-Ranges", "Access-Control-Request-Headers",
        "Access-Control-Request-Method", "Allow", "Authorization", "Cache-Control", "Connection",
        "Content-Encoding", "Content-Length", "Content-Range", "Content-Type", "Cookie", "Date", "ETag",
        "Expect", "Host", "If-Match", "If-Modified-Since", "If-None-Match", "If-Range",
        "If-Unmodified-Since", "Last-Modified", "Location", "Origin", "Range", "Server", "Set-Cookie",
        "TE", "Trailer", "Transfer-Encoding", "Upgrade", "User-Agent", "Vary", "X-Request-Id",
    ];

    private static readonly Dictionary<string, KnownHeader>.AlternateLookup<ReadOnlySpan<char>> s_byName = BuildMap();

    private static readonly string[] s_lowerNames = [.. s_names.Select(n => n.ToLowerInvariant())];

    /// <summary>The canonical spelling of <paramref name="header"/>; empty for <see cref="KnownHeader.None"/>.</summary>
    public static string NameOf(KnownHeader header) => s_names[(int)header];

    /// <summary>The lowercase spelling of <paramref name="header"/>, as HTTP/2 sends it (RFC 9113 §8.2.1).</summary>
    internal static string LowerNameOf(KnownHeader header) => s_lowerNames[(int)header];

    /// <summary>The id of <paramref name="name"/> (case-insensitive), or <see cref="KnownHeader.None"/>.</summary>
    public static KnownHeader Lookup(ReadOnlySpan<char> name) =>
        name.Length is > 0 and <= 32 && s_byName.TryGetValue(name, out var id) ? id : KnownHeader.None;

    /// <summary>
    /// The id of an ASCII header name (case-insensitive), or <see cref="KnownHeader.None"/>; the
    /// canonical string is then <see cref="NameOf"/>, so the caller need not allocate one.
    /// </summary>
    public static KnownHeader Lookup(ReadOnlySpan<byte> ascii)
    {
        if (ascii.Length is 0 or > 32) return KnownHeader.None;
        Span<char> chars = stackalloc char[ascii.Length];
        for (var i = 0; i < ascii.Length; i++) chars[i] = (char)ascii[i];
        return Lookup(chars);
    }

    private static Dictionary<string, KnownHeader>.AlternateLookup<ReadOnlySpan<char>> BuildMap()
    {
        var map = new Dictionary<string, KnownHeader>(StringComparer.OrdinalIgnoreCase);
        for (var i = 1; i < s_names.Length; i++) map[s_names[i]] = (KnownHeader)i;
        return map.GetAlternateLookup<ReadOnlySpan<char>>();
    }
}
