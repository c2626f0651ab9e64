using System.Net.Sockets;
using Epsilon.Actors.Io.Udp;
using Xunit;

namespace Epsilon.Actors.Tests.Io.Udp;

[Trait("Category", "Unit")]
public sealed class UdpSendQueueTests
{
    [Fact]
    public void Flush_sends_in_order_and_reports_each_outcome()
    {
        var queue = new UdpSendQueue<int>(8);
        for (var i = 1; i <= 3; i++) Assert.True(queue.TryEnqueue(i));
        var sink = new ScriptedSink();

        Assert.True(queue.Flush(ref sink));

        Assert.Equal([1, 2, 3], sink.Attempts);
        Assert.Equal([(1, SocketError.Success), (2, SocketError.Success), (3, SocketError.Success)], sink.Outcomes);
        Assert.True(queue.IsEmpty);
    }

    [Fact]
    public void WouldBlock_keeps_the_head_for_the_next_flush_and_nothing_is_lost()
    {
        var queue = new UdpSendQueue<int>(8);
        for (var i = 1; i <= 3; i++) queue.TryEnqueue(i);
        var sink = new ScriptedSink { Script = new Queue<SocketError>([SocketError.Success, SocketError.WouldBlock]) };

        Assert.False(queue.Flush(ref sink));
        Assert.Equal(2, queue.Count);
        Assert.Equal([(1, SocketError.Success)], sink.Outcomes);

        Assert.True(queue.Flush(ref sink));
        Assert.Equal([1, 2, 2, 3], sink.Attempts);
        Assert.Equal([1, 2, 3], sink.Outcomes.Select(o => o.Item1));
    }

    [Fact]
    public void A_failing_datagram_fails_alone_and_the_ones_behind_it_are_sent()
    {
        var queue = new UdpSendQueue<int>(8);
        for (var i = 1; i <= 3; i++) queue.TryEnqueue(i);
        var sink = new ScriptedSink { Script = new Queue<SocketError>([SocketError.Success, SocketError.MessageSize]) };

        Assert.True(queue.Flush(ref sink));

        Assert.Equal([(1, SocketError.Success), (2, SocketError.MessageSize), (3, SocketError.Success)], sink.Outcomes);
    }

    [Fact]
    public void A_datagram_past_the_limit_is_refused_and_one_fits_again_after_a_flush()
    {
        var queue = new UdpSendQueue<int>(2);
        Assert.True(queue.TryEnqueue(1));
        Assert.True(queue.TryEnqueue(2));
        Assert.False(queue.TryEnqueue(3));
        Assert.Equal(2, queue.Count);

        var sink = new ScriptedSink { Script = new Queue<SocketError>([SocketError.Success, SocketError.WouldBlock]) };
        queue.Flush(ref sink);

        Assert.True(queue.TryEnqueue(3));
        Assert.False(queue.TryEnqueue(4));
    }

    [Fact]
    public void FailAll_reports_every_waiting_datagram_with_the_error_and_empties_the_queue()
    {
        var queue = new UdpSendQueue<int>(4);
        queue.TryEnqueue(1);
        queue.TryEnqueue(2);
        var sink = new ScriptedSink();

        queue.FailAll(ref sink, SocketError.OperationAborted);

        Assert.Equal([(1, SocketError.OperationAborted), (2, SocketError.OperationAborted)], sink.Outcomes);
        Assert.Empty(sink.Attempts);
        Assert.True(queue.IsEmpty);
    }

    [Fact]
    public void A_limit_below_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new UdpSendQueue<int>(0));
    }

    private struct ScriptedSink() : IUdpSendSink<int>
    {
        public Queue<SocketError> Script { get; init; } = new();

        public List<int> Attempts { get; } = [];

        public List<(int, SocketError)> Outcomes { get; } = [];

        public SocketError Send(int datagram)
        {
            Attempts.Add(datagram);
            return Script.TryDequeue(out var result) ? result : SocketError.Success;
        }

        public void Completed(int datagram, SocketError error) => Outcomes.Add((datagram, error));
    }
}
