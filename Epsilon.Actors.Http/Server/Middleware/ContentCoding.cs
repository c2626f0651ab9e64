namespace Epsilon.Actors.Http.Server.Middleware;

/// <summary>A content coding the server can produce (RFC 9110 §8.4.1).</summary>
public enum ContentCoding
{
    /// <summary>No coding.</summary>
    Identity,
    /// <summary><c>gzip</c>.</summary>
    Gzip,
    /// <summary><c>br</c> (RFC 7932).</summary>
    Brotli,
}
