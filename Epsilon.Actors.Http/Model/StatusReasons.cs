namespace Epsilon.Actors.Http.Model;

/// <summary>Reason phrases of the IANA HTTP status code registry (RFC 9110 §15 and friends).</summary>
internal static class StatusReasons
{
    private static readonly string?[] s_phrases = Build();

    public static string For(int code)
    {
        if ((uint)code < (uint)s_phrases.Length && s_phrases[code] is { } phrase) return phrase;
        return (code / 100) switch
        {
            1 => "Informational",
            2 => "Success",
            3 => "Redirection",
            4 => "Client Error",
            5 => "Server Error",
            _ => "Unknown",
        };
    }

    private static string?[] Build()
    {
        var p = new string?[600];
        p[100] = "Continue"; p[101] = "Switching Protocols"; p[102] = "Processing"; p[103] = "Early Hints";
        p[200] = "OK"; p[201] = "Created"; p[202] = "Accepted"; p[203] = "Non-Authoritative Information";
        p[204] = "No Content"; p[205] = "Reset Content"; p[206] = "Partial Content"; p[207] = "Multi-Status";
        p[208] = "Already Reported"; p[226] = "IM Used";
        p[300] = "Multiple Choices"; p[301] = "Moved Permanently"; p[302] = "Found"; p[303] = "See Other";
        p[304] = "Not Modified"; p[305] = "Use Proxy"; p[307] = "Temporary Redirect"; p[308] = "Permanent Redirect";
        p[400] = "Bad Request"; p[401] = "Unauthorized"; p[402] = "Payment Required"; p[403] = "Forbidden";
        p[404] = "Not Found"; p[405] = "Method Not Allowed"; p[406] = "Not Acceptable";
        p[407] = "Proxy Authentication Required"; p[408] = "Request Timeout"; p[409] = "Conflict"; p[410] = "Gone";
        p[411] = "Length Required"; p[412] = "Precondition Failed"; p[413] = "Content Too Large";
        p[414] = "URI Too Long"; p[415] = "Unsupported Media Type"; p[416] = "Range Not Satisfiable";
        p[417] = "Expectation Failed"; p[421] = "Misdirected Request"; p[422] = "Unprocessable Content";
        p[423] = "Locked"; p[424] = "Failed Dependency"; p[425] = "Too Early"; p[426] = "Upgrade Required";
        p[428] = "Precondition Required"; p[429] = "Too Many Requests"; p[431] = "Request Header Fields Too Large";
        p[451] = "Unavailable For Legal Reasons";
        p[500] = "Internal Server Error"; p[501] = "Not Implemented"; p[502] = "Bad Gateway";
        p[503] = "Service Unavailable"; p[504] = "Gateway Timeout"; p[505] = "HTTP Version Not Supported";
        p[506] = "Variant Also Negotiates"; p[507] = "Insufficient Storage"; p[508] = "Loop Detected";
        p[511] = "Network Authentication Required";
        return p;
    }
}
