namespace Epsilon.Actors.Http.Http1.Parsing;

/// <summary>What a request's <c>Expect</c> header asks (RFC 9110 §10.1.1).</summary>
internal enum Http1Expectation : byte
{
    /// <summary>No <c>Expect</c> header.</summary>
    None,

    /// <summary><c>100-continue</c> (case-insensitive): the client waits for 100 Continue before sending the body.</summary>
    Continue,

    /// <summary>Any other expectation: the server answers 417 Expectation Failed.</summary>
    Unsupported,
}
