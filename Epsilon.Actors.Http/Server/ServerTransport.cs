using Akka;
using Akka.IO;
using Akka.Streams.Dsl;
using Epsilon.Actors.Http.Connections;
using Epsilon.Actors.Io.Tls;

namespace Epsilon.Actors.Http.Server;

/// <summary>
/// What a binding puts between TCP and HTTP, as <see cref="HttpServerBuilder"/> collects it:
/// transport layers that see plaintext (added before HTTPS, or all of them without HTTPS), TLS
/// (kept as options so that the server can watch each connection's session), layers that see
/// ciphertext (added after HTTPS), and the protocols the switch may choose besides HTTP/1.1.
/// Immutable.
/// </summary>
internal sealed record ServerTransport
{
    /// <summary>Nothing: HTTP/1.1 straight on TCP.</summary>
    public static ServerTransport None { get; } = new();

    /// <summary>Layers between HTTP and TLS (or TCP, without TLS); their top faces HTTP.</summary>
    public BidiFlow<ByteString, ByteString, ByteString, ByteString, NotUsed>? Plaintext { get; private init; }

    /// <summary>TLS as enabled, the ALPN list completed (<see cref="WithTls"/>), or null for cleartext.</summary>
    public TlsServerOptions? Tls { get; private init; }

    /// <summary>Layers between TLS and TCP; their top faces TLS.</summary>
    public BidiFlow<ByteString, ByteString, ByteString, ByteString, NotUsed>? Ciphertext { get; private init; }

    /// <summary>The protocols besides HTTP/1.1 (internal: tests register theirs; HTTP/2 will).</summary>
    public IReadOnlyList<ServerProtocol> Protocols { get; private init; } = [];

    private TlsServerOptions? TlsAsGiven { get; init; }

    /// <summary>With <paramref name="layer"/> below every layer so far (closer to the wire).</summary>
    public ServerTransport WithLayer(BidiFlow<ByteString, ByteString, ByteString, ByteString, NotUsed> layer) => Tls is null
        ? this with { Plaintext = Plaintext is null ? layer : Plaintext.Atop(layer) }
        : this with { Ciphertext = Ciphertext is null ? layer : Ciphertext.Atop(layer) };

    /// <summary>With TLS below the layers so far.</summary>
    /// <exception cref="InvalidOperationException">HTTPS is already enabled.</exception>
    public ServerTransport WithTls(TlsServerOptions options)
    {
        if (TlsAsGiven is not null) throw new InvalidOperationException("HTTPS is already enabled on this server builder.");
        return Complete(this with { TlsAsGiven = options });
    }

    /// <summary>With one more protocol the switch may choose.</summary>
    public ServerTransport WithProtocol(ServerProtocol protocol) => Complete(this with { Protocols = [.. Protocols, protocol] });

    /// <summary>
    /// Whether a connection needs the protocol switch in front of HTTP/1.1: over TLS (it waits
    /// for the session, to give it to requests and to choose by ALPN), or when a protocol is
    /// chosen by its preface.
    /// </summary>
    public bool NeedsSwitch => Tls is not null || ProtocolPreface.AnyIn(Protocols);

    /// <summary>
    /// ALPN offers only what the server speaks: without an explicit list, the registered
    /// protocols' ids (server preference first), then <see cref="HttpsServerBuilderExtensions.SupportedApplicationProtocols"/>.
    /// </summary>
    private static ServerTransport Complete(ServerTransport transport)
    {
        if (transport.TlsAsGiven is not { } given) return transport;
        if (given.ApplicationProtocols.Count > 0) return transport with { Tls = given };
        var ids = transport.Protocols.Select(p => p.ApplicationProtocol).OfType<string>()
            .Concat(HttpsServerBuilderExtensions.SupportedApplicationProtocols).Distinct(StringComparer.Ordinal).ToArray();
        return transport with { Tls = given with { ApplicationProtocols = ids } };
    }
}
