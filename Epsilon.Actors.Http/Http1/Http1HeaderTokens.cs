namespace Epsilon.Actors.Http.Http1;

/// <summary>
/// Comma-separated token lists of header fields such as <c>Connection</c> and <c>Upgrade</c>
/// (RFC 9110 §5.6.1: elements separated by commas with optional whitespace, empty elements
/// ignored; tokens compared case-insensitively). Pure; allocates nothing.
/// </summary>
internal static class Http1HeaderTokens
{
    /// <summary>Whether <paramref name="list"/> (null: no field) has the element <paramref name="token"/>.</summary>
    public static bool Contains(string? list, string token)
    {
        if (list is null) return false;
        var rest = list.AsSpan();
        while (!rest.IsEmpty)
        {
            var comma = rest.IndexOf(',');
            var element = (comma < 0 ? rest : rest[..comma]).Trim(" \t");
            if (element.Equals(token, StringComparison.OrdinalIgnoreCase)) return true;
            rest = comma < 0 ? [] : rest[(comma + 1)..];
        }

        return false;
    }

    /// <summary>The first element of <paramref name="list"/> for which <paramref name="accept"/> is true, or null.</summary>
    public static string? First(string? list, Func<string, bool> accept)
    {
        if (list is null) return null;
        foreach (var element in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            if (accept(element)) return element;
        return null;
    }
}
