namespace Epsilon.Actors.Http.Server;

/// <summary>
/// The connection a request arrived on closed (the client went away, a timeout, the server's
/// termination) while its streamed request body was still being read: the body's source fails
/// with this, and the request's <see cref="Model.HttpRequest.Aborted"/> token is cancelled.
/// </summary>
public sealed class HttpConnectionClosedException : IOException
{
    /// <summary>An exception with <paramref name="message"/>.</summary>
    public HttpConnectionClosedException(string message)
        : base(message)
    {
    }
}
