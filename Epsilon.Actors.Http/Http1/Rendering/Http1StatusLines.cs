using System.Text;

namespace Epsilon.Actors.Http.Http1.Rendering;

/// <summary>
/// Precomputed <c>HTTP/1.1 NNN Reason CRLF</c> lines for every status code 100–599 (RFC 9112
/// §4), built once; codes without a registered reason get an empty reason phrase, which the
/// grammar allows. Thread-safe (immutable).
/// </summary>
internal static class Http1StatusLines
{
    private static readonly byte[][] s_lines = Build();

    /// <summary>The status line for <paramref name="statusCode"/> (100–599).</summary>
    /// <exception cref="ArgumentOutOfRangeException">outside 100–599.</exception>
    public static ReadOnlySpan<byte> For(int statusCode)
    {
        if (statusCode is < 100 or > 599) throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "status codes are 100-599");
        return s_lines[statusCode - 100];
    }

    /// <summary>The registered reason phrase (RFC 9110 §15), or empty.</summary>
    public static string ReasonPhrase(int statusCode) => statusCode switch
    {
        100 => "Continue",
        101 => "Switching Protocols",
        102 => "Processing",
        103 => "Early Hints",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        203 => "Non-Authoritative Information",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        207 => "Multi-Status",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Range Not Satisfiable",
        417 => "Expectation Failed",
        421 => "Misdirected Request",
        422 => "Unprocessable Content",
        425 => "Too Early",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        511 => "Network Authentication Required",
        _ => "",
    };

    private static byte[][] Build()
    {
        var lines = new byte[500][];
        for (var code = 100; code < 600; code++)
            lines[code - 100] = Encoding.ASCII.GetBytes($"HTTP/1.1 {code} {ReasonPhrase(code)}\r\n");
        return lines;
    }
}
