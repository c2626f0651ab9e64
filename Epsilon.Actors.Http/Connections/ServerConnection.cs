namespace Epsilon.Actors.Http.Connections;

/// <summary>
/// One accepted connection as the protocol serving it sees it: who it is, where to register for
/// termination, and which protocols it may switch to (by <c>Upgrade</c>). Created by the server
/// per connection; the protocol's flow carries the connection's bytes.
/// </summary>
/// <param name="Info">Addresses and TLS session.</param>
/// <param name="Registry">Where the protocol's stage registers for graceful termination; null when nothing terminates it (a connection flow).</param>
/// <param name="Protocols">The other protocols served on this connection (the switch's list), for a protocol that hands over by <c>Upgrade</c>.</param>
internal sealed record ServerConnection(ConnectionInfo Info, IConnectionRegistry? Registry, IReadOnlyList<ServerProtocol> Protocols)
{
    /// <summary>The protocol that claims the <c>Upgrade</c> token <paramref name="token"/> (case-insensitive, RFC 9110 §7.8), or null.</summary>
    public ServerProtocol? ClaimingUpgrade(string token)
    {
        foreach (var protocol in Protocols)
            if (protocol.UpgradeToken is { } claimed && string.Equals(claimed, token, StringComparison.OrdinalIgnoreCase)) return protocol;
        return null;
    }
}
