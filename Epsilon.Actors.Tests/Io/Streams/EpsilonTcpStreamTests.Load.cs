using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Akka.IO;
using Akka.Streams.Dsl;
using Epsilon.Actors.Tests.TestKit;
using Xunit;

namespace Epsilon.Actors.Tests.Io.Streams;

/// <summary>Many connections at once, and framing composed with the connection flow.</summary>
public abstract partial class EpsilonTcpStreamTests
{
    [SkippableFact]
    public async Task Echoes_byte_exact_on_1000_concurrent_connections()
    {
        RequireBackend();
        const int connections = 1000;
        const int size = 2048;
        var binding = await Streams.BindAndHandle(Flow.Create<ByteString>(), Materializer, "127.0.0.1", 0, backlog: 2048)
            .WaitAsync(s_wait);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        async Task EchoOnce(int index)
        {
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await client.ConnectAsync(binding.LocalAddress, deadline.Token);
            var payload = PlainSocket.Pattern(size, seed: index);
            // Two writes, so the echo is also checked across a write boundary.
            await client.SendAsync(payload.AsMemory(0, size / 3), deadline.Token);
            await client.SendAsync(payload.AsMemory(size / 3), deadline.Token);
            client.Shutdown(SocketShutdown.Send);
            var echoed = new byte[size + 1];
            var read = 0;
            int n;
            while ((n = await client.ReceiveAsync(echoed.AsMemory(read), deadline.Token)) > 0) read += n;
            Assert.Equal(size, read);
            Assert.True(payload.AsSpan().SequenceEqual(echoed.AsSpan(0, size)), $"connection {index} echoed other bytes");
        }

        await Task.WhenAll(Enumerable.Range(0, connections).Select(i => Task.Run(() => EchoOnce(i))));
        await binding.Unbind().WaitAsync(s_wait);
    }

    [SkippableFact]
    public async Task Stream_clients_echo_byte_exact_through_a_stream_server()
    {
        RequireBackend();
        const int connections = 200;
        var binding = await Streams.BindAndHandle(Flow.Create<ByteString>(), Materializer, "127.0.0.1", 0, backlog: 1024)
            .WaitAsync(s_wait);

        async Task EchoOnce(int index)
        {
            var payload = PlainSocket.Pattern(10_000, seed: index);
            // Three elements out, then half-close (the client default): the server's echo ends
            // when our FIN reaches it, and the answer is read until its close.
            var echoed = await Source.From(new[] { payload[..1], payload[1..5000], payload[5000..] })
                .Select(ByteString.FromBytes)
                .Via(Streams.OutgoingConnection(binding.LocalAddress))
                .RunAggregate(ByteString.Empty, (all, b) => all.Concat(b), Materializer)
                .WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(payload.AsSpan().SequenceEqual(echoed.ToArray()), $"connection {index} echoed {echoed.Count} other bytes");
        }

        await Task.WhenAll(Enumerable.Range(0, connections).Select(EchoOnce));
        await binding.Unbind().WaitAsync(s_wait);
    }

    [SkippableFact]
    public void Length_field_framing_decodes_messages_split_at_every_offset()
    {
        RequireBackend();
        // Server: frames are decoded with Akka.Streams' own LengthField framing, each payload is
        // answered reversed with the simple framing protocol's encoder.
        var protocol = Flow.Create<ByteString>()
            .Via(Framing.LengthField(4, maximumFramelength: 1024, fieldOffset: 0, byteOrder: ByteOrder.BigEndian))
            .Select(frame => ByteString.FromBytes(frame.Slice(4).ToArray().Reverse().ToArray()))
            .Via(Framing.SimpleFramingProtocolEncoder(1024));
        var binding = Streams.BindAndHandle(protocol, Materializer, "127.0.0.1", 0).Result;

        byte[] Frame(string text)
        {
            var payload = System.Text.Encoding.ASCII.GetBytes(text);
            var frame = new byte[4 + payload.Length];
            BinaryPrimitives.WriteInt32BigEndian(frame, payload.Length);
            payload.CopyTo(frame, 4);
            return frame;
        }

        var messages = new[] { "a", "", "length-prefixed", "zz" };
        var wire = messages.SelectMany(Frame).ToArray();
        var expected = messages.SelectMany(m => Frame(new string(m.Reverse().ToArray()))).ToArray();

        using var client = PlainSocket.Connect(binding.LocalAddress);
        for (var split = 1; split < wire.Length; split++)
        {
            client.Send(wire.AsSpan(0, split));
            Thread.Sleep(2); // let the first part be read on its own
            client.Send(wire.AsSpan(split));
            Assert.Equal(expected, client.ReceiveExactly(expected.Length));
        }

        client.Shutdown(SocketShutdown.Send);
        Assert.Equal(0, client.Receive(new byte[1]));
    }
}
