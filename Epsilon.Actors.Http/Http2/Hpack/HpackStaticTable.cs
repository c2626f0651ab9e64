using System.Text;

namespace Epsilon.Actors.Http.Http2.Hpack;

/// <summary>
/// The 61 entries of HPACK's static table (RFC 7541 §2.3.1, Appendix A), indices 1 to 61, and
/// the encoder's look-ups into it.
/// </summary>
internal static class HpackStaticTable
{
    /// <summary>How many entries the static table has; dynamic indices start after it.</summary>
    public const int Count = 61;

    private static readonly (string Name, string Value)[] s_entries =
    [
        (":authority", ""), (":method", "GET"), (":method", "POST"), (":path", "/"), (":path", "/index.html"),
        (":scheme", "http"), (":scheme", "https"), (":status", "200"), (":status", "204"), (":status", "206"),
        (":status", "304"), (":status", "400"), (":status", "404"), (":status", "500"), ("accept-charset", ""),
        ("accept-encoding", "gzip, deflate"), ("accept-language", ""), ("accept-ranges", ""), ("accept", ""),
        ("access-control-allow-origin", ""), ("age", ""), ("allow", ""), ("authorization", ""), ("cache-control", ""),
        ("content-disposition", ""), ("content-encoding", ""), ("content-language", ""), ("content-length", ""),
        ("content-location", ""), ("content-range", ""), ("content-type", ""), ("cookie", ""), ("date", ""),
        ("etag", ""), ("expect", ""), ("expires", ""), ("from", ""), ("host", ""), ("if-match", ""),
        ("if-modified-since", ""), ("if-none-match", ""), ("if-range", ""), ("if-unmodified-since", ""),
        ("last-modified", ""), ("link", ""), ("location", ""), ("max-forwards", ""), ("proxy-authenticate", ""),
        ("proxy-authorization", ""), ("range", ""), ("referer", ""), ("refresh", ""), ("retry-after", ""),
        ("server", ""), ("set-cookie", ""), ("strict-transport-security", ""), ("transfer-encoding", ""),
        ("user-agent", ""), ("vary", ""), ("via", ""), ("www-authenticate", ""),
    ];

    private static readonly byte[][] s_names = [.. s_entries.Select(e => Encoding.ASCII.GetBytes(e.Name))];
    private static readonly byte[][] s_values = [.. s_entries.Select(e => Encoding.ASCII.GetBytes(e.Value))];
    private static readonly Dictionary<string, int> s_firstIndexOfName = BuildNameIndex();
    private static readonly Dictionary<(string, string), int> s_indexOfField = BuildFieldIndex();

    /// <summary>The name of entry <paramref name="index"/> (1-based), as bytes.</summary>
    public static ReadOnlySpan<byte> Name(int index) => s_names[index - 1];

    /// <summary>The value of entry <paramref name="index"/> (1-based), as bytes; empty for name-only entries.</summary>
    public static ReadOnlySpan<byte> Value(int index) => s_values[index - 1];

    /// <summary>The index of the entry with this name and value, or 0.</summary>
    public static int IndexOf(string name, string value) => s_indexOfField.GetValueOrDefault((name, value));

    /// <summary>The lowest index of an entry with this name, or 0.</summary>
    public static int IndexOfName(string name) => s_firstIndexOfName.GetValueOrDefault(name);

    private static Dictionary<string, int> BuildNameIndex()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < s_entries.Length; i++) index.TryAdd(s_entries[i].Name, i + 1);
        return index;
    }

    private static Dictionary<(string, string), int> BuildFieldIndex()
    {
        var index = new Dictionary<(string, string), int>();
        for (var i = 0; i < s_entries.Length; i++)
        {
            // Entries without a value only name a field; "name: " with an empty value is rare enough to literal.
            if (s_entries[i].Value.Length > 0) index.TryAdd(s_entries[i], i + 1);
        }

        return index;
    }
}
