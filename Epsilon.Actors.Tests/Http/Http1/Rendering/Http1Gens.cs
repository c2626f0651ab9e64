using CsCheck;

namespace Epsilon.Actors.Tests.Http.Http1.Rendering;

/// <summary>CsCheck generators of valid HTTP/1.1 message parts, for render → parse round trips.</summary>
internal static class Http1Gens
{
    private const string TokenChars = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private static readonly HashSet<string> s_framingNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "host", "content-length", "transfer-encoding", "connection", "expect", "upgrade",
    };

    public static readonly Gen<string> Token = Gen.Char[TokenChars].Array[1, 16].Select(c => new string(c));

    /// <summary>Field names the parser does not interpret (so they round-trip unconditionally).</summary>
    public static readonly Gen<string> FieldName = Token.Where(n => !s_framingNames.Contains(n));

    /// <summary>Field values: VCHAR, SP, HTAB and obs-text, as the parser returns them (no surrounding whitespace).</summary>
    public static readonly Gen<string> FieldValue = Gen.OneOf(
            Gen.Char['!', '~'],
            Gen.Char[" \t"],
            Gen.Char['\u0080', '\u00ff'])
        .Array[0, 40]
        .Select(c => new string(c).Trim(' ', '\t'));

    public static readonly Gen<(string Name, string Value)[]> Fields = Gen.Select(FieldName, FieldValue).Array[0, 12];

    public static readonly Gen<string> Method = Gen.OneOf(
        Gen.OneOf("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE", "PATCH"),
        Token.Where(t => t != "CONNECT"));

    private static readonly Gen<string> s_pathAndQuery = Gen.Char["abcxyzABC0123456789-._~!$&'()*+,;=:@/?%"].Array[0, 60].Select(c => "/" + new string(c));

    /// <summary>Origin-form (mostly) and absolute-form targets, both valid with every method but CONNECT.</summary>
    public static readonly Gen<string> Target = Gen.Frequency(
        (4, s_pathAndQuery),
        (1, Gen.Select(Gen.OneOf("http", "https", "coap+tcp"), Gen.OneOf("example.com", "127.0.0.1:8080", "[::1]"), s_pathAndQuery, (scheme, host, path) => $"{scheme}://{host}{path}")));

    public static readonly Gen<byte[]> Body = Gen.Byte.Array[0, 400];

    /// <summary>Cut points splitting a body into chunks (sorted, may repeat: repeated cuts give empty chunks, which the encoder skips).</summary>
    public static readonly Gen<int[]> ChunkCuts = Gen.Int[0, 400].Array[0, 8].Select(a => a.Order().ToArray());
}
