namespace Epsilon.Actors.Http.Connections;

/// <summary>
/// Where a connection's protocol stage announces itself so it hears of termination: a binding's
/// connection table (which also frees the connection's place on <see cref="Release"/>), or the
/// protocol switch of the connection, which forwards the signal to the protocol it handed over to.
/// Thread-safe.
/// </summary>
internal interface IConnectionRegistry
{
    /// <summary>The stage serving the connection started; a termination already under way is signalled at once.</summary>
    void Register(IServerConnection connection);

    /// <summary>The stage stopped (or, with null, never started).</summary>
    void Release(IServerConnection? connection);
}
