namespace Epsilon.Actors.Http.Http1.Parsing;

/// <summary>Where <see cref="Http1RequestParser"/> is in the current request.</summary>
internal enum Http1RequestParserState : byte
{
    /// <summary>Waiting for (the rest of) a request line; no byte of it consumed yet.</summary>
    RequestLine,

    /// <summary>Request line read; reading header field lines.</summary>
    Headers,

    /// <summary>Header section complete; <see cref="Http1RequestParser.TryParseBody"/> reads the body next.</summary>
    Body,

    /// <summary>A rejection was thrown; the parser must not be fed again.</summary>
    Failed,
}
