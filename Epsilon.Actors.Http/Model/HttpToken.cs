namespace Epsilon.Actors.Http.Model;

/// <summary>RFC 9110 §5.6.2 token characters, shared by method, header-name and media-type checks.</summary>
internal static class HttpToken
{
    /// <summary>True when <paramref name="c"/> is a tchar.</summary>
    public static bool IsTokenChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
            or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';

    /// <summary>True when <paramref name="s"/> is a non-empty token.</summary>
    public static bool IsToken(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty) return false;
        foreach (var c in s)
        {
            if (!IsTokenChar(c)) return false;
        }

        return true;
    }
}
