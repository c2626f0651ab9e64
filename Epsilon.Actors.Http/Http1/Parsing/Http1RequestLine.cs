namespace Epsilon.Actors.Http.Http1.Parsing;

/// <summary>
/// A parsed request line (RFC 9112 §3). The spans point into the parser's input or its scratch
/// buffer and are valid only during the handler call that receives them.
/// </summary>
internal readonly ref struct Http1RequestLine
{
    /// <summary>Creates a request line; the parser is the only caller outside tests.</summary>
    public Http1RequestLine(Http1Method method, ReadOnlySpan<byte> methodToken, ReadOnlySpan<byte> target, Http1RequestTargetForm targetForm, Http1Version version)
    {
        Method = method;
        MethodToken = methodToken;
        Target = target;
        TargetForm = targetForm;
        Version = version;
    }

    /// <summary>The method, or <see cref="Http1Method.Custom"/> when it is another token.</summary>
    public Http1Method Method { get; }

    /// <summary>The method's bytes as sent (a token, RFC 9110 §9.1).</summary>
    public ReadOnlySpan<byte> MethodToken { get; }

    /// <summary>The request target as sent: printable ASCII, no spaces, never empty.</summary>
    public ReadOnlySpan<byte> Target { get; }

    /// <summary>Which of the four target forms <see cref="Target"/> is in.</summary>
    public Http1RequestTargetForm TargetForm { get; }

    /// <summary>HTTP/1.0 or HTTP/1.1.</summary>
    public Http1Version Version { get; }
}
