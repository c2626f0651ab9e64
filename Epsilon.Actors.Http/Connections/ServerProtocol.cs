using Akka;
using Akka.IO;
using Akka.Streams.Dsl;

namespace Epsilon.Actors.Http.Connections;

/// <summary>
/// A protocol the server can speak on a connection, as the protocol switch knows it: how a
/// client selects it, and the byte flow that serves a connection once selected. HTTP/1.1 is the
/// fallback (chosen when nothing else is); HTTP/2 will register here with ALPN <c>h2</c>, the
/// preface <c>PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n</c> and, for h2c, the upgrade token. Internal:
/// for now only tests register protocols of their own.
/// </summary>
/// <param name="Name">For logs: "http/1.1", "h2" ….</param>
/// <param name="Serve">Builds the flow serving one connection (materialized once per connection); the bytes it receives start with everything the switch read to decide.</param>
internal sealed record ServerProtocol(string Name, Func<ServerConnection, Flow<ByteString, ByteString, NotUsed>> Serve)
{
    /// <summary>The ALPN protocol id (RFC 7301) that selects this protocol over TLS, or null; it is added to the ids the TLS server offers.</summary>
    public string? ApplicationProtocol { get; init; }

    /// <summary>The <c>Upgrade</c> token an HTTP/1.1 request may name to switch to this protocol without a handler (the server answers 101 itself), or null.</summary>
    public string? UpgradeToken { get; init; }

    /// <summary>The bytes a client sends first to select this protocol on a cleartext connection (prior knowledge), or empty for none.</summary>
    public ReadOnlyMemory<byte> Preface { get; init; }

    /// <summary>The name.</summary>
    public override string ToString() => Name;
}
