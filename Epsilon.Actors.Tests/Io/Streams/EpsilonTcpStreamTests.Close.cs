using System.Net.Sockets;
using System.Text;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Epsilon.Actors.Tests.TestKit;
using Xunit;

namespace Epsilon.Actors.Tests.Io.Streams;

/// <summary>How a connection flow ends: completion, cancellation, half-close, failures, idle timeout.</summary>
public abstract partial class EpsilonTcpStreamTests
{
    [SkippableFact]
    public void Completing_the_handler_closes_the_socket_after_its_last_write()
    {
        RequireBackend();
        var (binding, connections) = Bind();
        connections.Request(1);
        using var client = PlainSocket.Connect(binding.LocalAddress);
        var connection = connections.ExpectNext(s_wait);
        // Take(1) completes its downstream and cancels its upstream: both directions are done.
        connection.Flow.Join(Flow.Create<ByteString>().Take(1)).Run(Materializer);
        client.Send("only"u8);
        Assert.Equal("only", Encoding.ASCII.GetString(client.ReceiveExactly(4)));
        AssertEndOfStream(client);
    }

    [SkippableFact]
    public void Cancelling_downstream_then_completing_upstream_closes_the_socket()
    {
        RequireBackend();
        var (up, down, client) = Accepted();
        using var _ = client;
        down.Cancel();
        up.SendNext(ByteString.FromString("last"));
        up.SendComplete();
        Assert.Equal("last", Encoding.ASCII.GetString(client.ReceiveExactly(4)));
        AssertEndOfStream(client);
    }

    [SkippableFact]
    public void Upstream_failure_resets_the_connection()
    {
        RequireBackend();
        var (up, down, client) = Accepted();
        using var _ = client;
        down.Request(1);
        up.SendError(new InvalidOperationException("boom"));
        var error = down.ExpectError();
        Assert.Equal("boom", error.Message);
        var ex = Assert.Throws<SocketException>(() => client.Receive(new byte[1]));
        Assert.Equal(SocketError.ConnectionReset, ex.SocketErrorCode);
    }

    [SkippableFact]
    public void Upstream_completion_half_closes_when_halfClose_is_on()
    {
        RequireBackend();
        var (up, down, client) = Accepted(halfClose: true);
        using var _ = client;
        up.SendNext(ByteString.FromString("bye"));
        up.SendComplete();
        Assert.Equal("bye", Encoding.ASCII.GetString(client.ReceiveExactly(3)));
        Assert.Equal(0, client.Receive(new byte[16])); // our FIN

        // The peer may still send; it is read, and its FIN completes downstream.
        client.Send("more"u8);
        down.Request(10);
        Assert.Equal("more", Text(down.ExpectNext(s_wait)));
        client.Shutdown(SocketShutdown.Send);
        down.ExpectComplete();
    }

    [SkippableFact]
    public void Upstream_completion_closes_both_directions_when_halfClose_is_off()
    {
        RequireBackend();
        var (up, down, client) = Accepted(halfClose: false);
        using var _ = client;
        down.Request(1);
        up.SendNext(ByteString.FromString("bye"));
        up.SendComplete();
        Assert.Equal("bye", Encoding.ASCII.GetString(client.ReceiveExactly(3)));
        Assert.Equal(0, client.Receive(new byte[16]));
        down.ExpectComplete();
    }

    [SkippableFact]
    public void Peer_close_completes_downstream_and_writing_continues()
    {
        RequireBackend();
        var (up, down, client) = Accepted();
        using var _ = client;
        client.Send("request"u8);
        client.Shutdown(SocketShutdown.Send);
        down.Request(10);
        Assert.Equal("request", Text(down.ExpectNext(s_wait)));
        down.ExpectComplete();
        up.SendNext(ByteString.FromString("late answer"));
        up.SendComplete();
        Assert.Equal("late answer", Encoding.ASCII.GetString(client.ReceiveToEnd()));
    }

    [SkippableFact]
    public void Peer_reset_fails_the_flow_with_the_cause()
    {
        RequireBackend();
        var (_, down, client) = Accepted();
        down.Request(1);
        // Let the server wait for data first (on the portable backend: with a zero-byte receive
        // in flight, which is where the reset is first seen).
        Thread.Sleep(300);
        client.Reset();
        var error = down.ExpectError();
        var tcp = Assert.IsType<StreamTcpException>(error);
        Assert.Contains("reset", tcp.Message, StringComparison.OrdinalIgnoreCase);
        Assert.IsType<IOException>(tcp.InnerException);
    }

    [SkippableFact]
    public void Idle_timeout_fails_with_a_TimeoutException_and_resets()
    {
        RequireBackend();
        var (_, down, client) = Accepted(idleTimeout: TimeSpan.FromMilliseconds(500));
        using var _ = client;
        down.Request(1);
        var error = down.ExpectError();
        Assert.IsType<TcpIdleTimeoutException>(error);
        Assert.IsAssignableFrom<TimeoutException>(error);
        AssertEndOfStream(client);
    }
}
