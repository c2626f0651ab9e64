using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using Akka.IO;
using Epsilon.Actors.Io.Tls;

namespace Epsilon.Actors.Bench.Macro;

/// <summary>
/// The decision STYLE.md flags: how the TLS engine bridges SslStream. Two SslStreams talk in
/// memory, one way, through (a) Epsilon's <see cref="TlsTransportStream"/> driven as the shells
/// drive it (events posted, ciphertext handed over), or (b) a pair of
/// <see cref="System.IO.Pipelines.Pipe"/>s seen as streams. No sockets: only the bridge and TLS.
/// </summary>
internal static class TlsBridgeComparison
{
    public static async Task<(double Engine, double Pipes)> RunAsync(X509Certificate2 certificate, long bytes)
    {
        var engine = await ThroughEngines(certificate, bytes);
        var pipes = await ThroughPipes(certificate, bytes);
        return (engine, pipes);
    }

    private static async Task<double> ThroughEngines(X509Certificate2 certificate, long bytes)
    {
        var clientEvents = Channel.CreateUnbounded<object>();
        var serverEvents = Channel.CreateUnbounded<object>();
        TlsEngine client = null!;
        TlsEngine server = null!;
        var clientOptions = new TlsClientOptions("localhost") { CertificateValidator = (_, _, _, _) => true };
        var serverOptions = new TlsServerOptions(TlsCertificate.FromCertificate(certificate)) { Settings = TlsSettings.Default with { OcspStapling = false } };
        client = TlsEngine.Client(clientOptions, m => Route(m, client, server, clientEvents));
        server = TlsEngine.Server(serverOptions, m => Route(m, server, client, serverEvents));
        server.Start();
        client.Start();
        await Expect<TlsMessages.HandshakeDone>(clientEvents);
        await Expect<TlsMessages.HandshakeDone>(serverEvents);

        var chunk = ByteString.FromBytes(new byte[64 * 1024]);
        var clock = Stopwatch.StartNew();
        var writer = Task.Run(async () =>
        {
            for (long sent = 0; sent < bytes; sent += chunk.Count)
            {
                client.WritePlaintext(chunk);
                await Expect<TlsMessages.PlaintextWritten>(clientEvents);
            }
        });
        long received = 0;
        while (received < bytes)
        {
            server.ReadPlaintext();
            received += (await Expect<TlsMessages.PlaintextIn>(serverEvents)).Bytes.Count;
        }

        await writer;
        var mbps = bytes / clock.Elapsed.TotalSeconds / 1e6;
        client.Abort();
        server.Abort();
        return mbps;
    }

    private static void Route(object message, TlsEngine self, TlsEngine peer, Channel<object> events)
    {
        switch (message)
        {
            case TlsMessages.CiphertextOut(var bytes):
                peer.Feed(bytes);
                self.CiphertextTaken();
                break;
            case TlsMessages.CiphertextWanted:
                break;
            default:
                events.Writer.TryWrite(message);
                break;
        }
    }

    private static async Task<T> Expect<T>(Channel<object> events)
    {
        var message = await events.Reader.ReadAsync();
        return message is T t ? t : throw new InvalidOperationException($"expected {typeof(T).Name}, got {message}");
    }

    private static async Task<double> ThroughPipes(X509Certificate2 certificate, long bytes)
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        await using var client = new SslStream(new DuplexStream(toClient.Reader.AsStream(), toServer.Writer.AsStream()));
        await using var server = new SslStream(new DuplexStream(toServer.Reader.AsStream(), toClient.Writer.AsStream()));
        await Task.WhenAll(
            client.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost", RemoteCertificateValidationCallback = (_, _, _, _) => true }),
            server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }));

        var chunk = new byte[64 * 1024];
        var clock = Stopwatch.StartNew();
        var writer = Task.Run(async () =>
        {
            for (long sent = 0; sent < bytes; sent += chunk.Length) await client.WriteAsync(chunk);
        });
        var buffer = new byte[16 * 1024 + 512];
        long received = 0;
        while (received < bytes) received += await server.ReadAsync(buffer);
        await writer;
        return bytes / clock.Elapsed.TotalSeconds / 1e6;
    }

    /// <summary>Reads from one stream, writes to another.</summary>
    private sealed class DuplexStream(Stream input, Stream output) : Stream
    {
        public override bool CanRead => true;

        public override bool CanWrite => true;

        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => input.ReadAsync(buffer, cancellationToken);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => output.WriteAsync(buffer, cancellationToken);

        public override Task FlushAsync(CancellationToken cancellationToken) => output.FlushAsync(cancellationToken);

        public override void Flush() => output.Flush();

        public override int Read(byte[] buffer, int offset, int count) => input.Read(buffer, offset, count);

        public override void Write(byte[] buffer, int offset, int count) => output.Write(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
