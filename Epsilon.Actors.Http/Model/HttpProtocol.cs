namespace Epsilon.Actors.Http.Model;

/// <summary>The HTTP version a message was received with or is rendered as.</summary>
public enum HttpProtocol : byte
{
    /// <summary>HTTP/1.0: no chunked encoding; connection closes unless keep-alive is asked for.</summary>
    Http10,
    /// <summary>HTTP/1.1.</summary>
    Http11,
    /// <summary>HTTP/2.</summary>
    Http2,
}
