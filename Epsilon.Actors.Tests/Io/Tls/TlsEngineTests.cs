using System.Threading.Channels;
using Akka.IO;
using Epsilon.Actors.Io.Tls;
using Epsilon.Actors.Tests.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace Epsilon.Actors.Tests.Io.Tls;

/// <summary>
/// The engine's contract with its shell, two engines wired to each other in memory (no network:
/// the loopback and conformance tiers prove the feature; this pins the engine's event order).
/// </summary>
[Trait("Category", "Unit")]
public sealed class TlsEngineTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Two_engines_handshake_exchange_data_and_close()
    {
        var client = new Wire("client", output);
        var server = new Wire("server", output);
        client.Engine = TlsEngine.Client(TestCertificates.Shared.ClientOptions("localhost"), client.Post);
        server.Engine = TlsEngine.Server(TestCertificates.Shared.ServerOptions("localhost"), server.Post);
        client.Peer = server;
        server.Peer = client;
        client.Engine.Start();
        server.Engine.Start();
        var pumps = Task.WhenAll(client.Pump(), server.Pump());
        Assert.IsType<TlsMessages.HandshakeDone>(await client.Next<TlsMessages.HandshakeDone>());
        Assert.IsType<TlsMessages.HandshakeDone>(await server.Next<TlsMessages.HandshakeDone>());
        client.Engine.WritePlaintext(ByteString.FromString("hello"));
        await client.Next<TlsMessages.PlaintextWritten>();
        server.Engine.ReadPlaintext();
        var read = await server.Next<TlsMessages.PlaintextIn>();
        Assert.Equal("hello", read.Bytes.ToString());
        client.Engine.Shutdown();
        await client.Next<TlsMessages.ShutdownDone>();
        server.Engine.ReadPlaintext();
        await server.Next<TlsMessages.PlaintextEnded>();
        client.Engine.Abort();
        server.Engine.Abort();
        client.Stop();
        server.Stop();
        await pumps.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private sealed class Wire(string name, ITestOutputHelper output)
    {
        private readonly Channel<object> _mine = Channel.CreateUnbounded<object>();
        public TlsEngine Engine = null!;
        public Wire Peer = null!;
        public Channel<object> Events { get; } = Channel.CreateUnbounded<object>();
        private int _wanted;

        public void Post(object message) => _mine.Writer.TryWrite(message);

        public void Stop() => _mine.Writer.TryComplete();

        public async Task Pump()
        {
            // Handles transport events as a shell would; the rest go to the test.
            await foreach (var m in _mine.Reader.ReadAllAsync())
            {
                output.WriteLine($"{name}: {m}");
                switch (m)
                {
                    case TlsMessages.CiphertextWanted:
                        Interlocked.Increment(ref _wanted);
                        break;
                    case TlsMessages.CiphertextOut(var bytes):
                        Peer.Engine.Feed(bytes);
                        Engine.CiphertextTaken();
                        break;
                    default:
                        await Events.Writer.WriteAsync(m);
                        break;
                }
            }
        }

        public async Task<T> Next<T>()
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var m = await Events.Reader.ReadAsync(cts.Token);
            return Assert.IsType<T>(m);
        }
    }
}
