namespace Epsilon.Actors.Http.Connections;

/// <summary>
/// The protocol switch's relay of the termination signal: the switch registers with the binding,
/// and the protocol it hands over to registers here; a graceful close or an abort reaches that
/// protocol, and one that registers after a graceful close began is told at once. Thread-safe.
/// </summary>
internal sealed class ConnectionControl : IConnectionRegistry, IServerConnection
{
    private readonly object _lock = new();
    private IServerConnection? _attached;
    private bool _closing;

    /// <summary>Whether a graceful close has been asked for.</summary>
    public bool IsClosing
    {
        get
        {
            lock (_lock) return _closing;
        }
    }

    /// <inheritdoc />
    public void Register(IServerConnection connection)
    {
        bool closing;
        lock (_lock)
        {
            _attached = connection;
            closing = _closing;
        }

        if (closing) connection.BeginGracefulClose();
    }

    /// <inheritdoc />
    public void Release(IServerConnection? connection)
    {
        lock (_lock)
            if (ReferenceEquals(_attached, connection)) _attached = null;
    }

    /// <inheritdoc />
    public void BeginGracefulClose()
    {
        IServerConnection? attached;
        lock (_lock)
        {
            _closing = true;
            attached = _attached;
        }

        attached?.BeginGracefulClose();
    }

    /// <inheritdoc />
    public void Abort()
    {
        IServerConnection? attached;
        lock (_lock) attached = _attached;
        attached?.Abort();
    }
}
