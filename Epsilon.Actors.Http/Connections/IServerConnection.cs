namespace Epsilon.Actors.Http.Connections;

/// <summary>
/// The graceful-termination signal of one live server connection, whatever its protocol.
/// Implementations hand the call to the connection's stage (an async callback), so both methods
/// are thread-safe and return at once.
/// </summary>
internal interface IServerConnection
{
    /// <summary>Read no further request: close at once when idle, else after the work in progress (HTTP/1.1: the response, which carries <c>Connection: close</c>).</summary>
    void BeginGracefulClose();

    /// <summary>Close now, whatever is in progress (the hard deadline of a termination).</summary>
    void Abort();
}
