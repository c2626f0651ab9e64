using System.Net.Security;

namespace Epsilon.Actors.Io.Tls;

/// <summary>
/// An <see cref="SslStream"/> that remembers why its certificate check refused the peer, so the
/// handshake failure can name the cause instead of .NET's generic "remote certificate is invalid".
/// The validation callback receives this stream as its sender.
/// </summary>
internal sealed class TlsSslStream(Stream transport) : SslStream(transport, leaveInnerStreamOpen: false)
{
    /// <summary>Set by the certificate check when it refuses; read after the handshake fails.</summary>
    public volatile TlsException? Refusal;
}
