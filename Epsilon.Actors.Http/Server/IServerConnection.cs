namespace Epsilon.Actors.Http.Server;

/// <summary>
/// A live server connection as its binding sees it, for graceful termination. Implementations
/// hand the call to the connection's stage (an async callback), so both methods are
/// thread-safe and return at once.
/// </summary>
internal interface IServerConnection
{
    /// <summary>Read no further request: close at once when idle, else after the response in progress (which carries <c>Connection: close</c>).</summary>
    void BeginGracefulClose();

    /// <summary>Close now, whatever is in progress (the hard deadline of a termination).</summary>
    void Abort();
}
