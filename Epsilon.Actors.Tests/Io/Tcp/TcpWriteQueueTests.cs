using System.Net.Sockets;
using Akka.IO;
using Epsilon.Actors.Io.Tcp;
using Xunit;

namespace Epsilon.Actors.Tests.Io.Tcp;

[Trait("Category", "Unit")]
public sealed class TcpWriteQueueTests
{
    private struct Sink : IByteSink
    {
        public MemoryStream Written;
        public int Capacity;
        public SocketError FailWith;

        public SocketError Send(ReadOnlySpan<byte> data, out int sent)
        {
            sent = 0;
            if (FailWith != SocketError.Success) return FailWith;
            if (Capacity == 0) return SocketError.WouldBlock;
            sent = Math.Min(Capacity, data.Length);
            Capacity -= sent;
            Written.Write(data[..sent]);
            return SocketError.Success;
        }
    }

    private struct Done : IWriteCompletion<int>
    {
        public List<int> Tokens;

        public void Completed(int token) => Tokens.Add(token);
    }

    private static ByteString Bytes(string s) => ByteString.FromString(s);

    [Fact]
    public void Flushes_everything_in_order_and_completes_each_write()
    {
        var queue = new TcpWriteQueue<int>(1024);
        Assert.Equal(EnqueueResult.Accepted, queue.TryEnqueue(Bytes("ab"), 1, true));
        Assert.Equal(EnqueueResult.Accepted, queue.TryEnqueue(ByteString.Empty, 2, true));
        Assert.Equal(EnqueueResult.Accepted, queue.TryEnqueue(Bytes("cd"), 3, true));
        var sink = new Sink { Written = new MemoryStream(), Capacity = int.MaxValue };
        var done = new Done { Tokens = [] };
        Assert.Equal(FlushResult.Drained, queue.Flush(ref sink, ref done));
        Assert.Equal("abcd", System.Text.Encoding.ASCII.GetString(sink.Written.ToArray()));
        Assert.Equal([1, 2, 3], done.Tokens);
        Assert.True(queue.IsEmpty);
        Assert.Equal(0, queue.PendingBytes);
    }

    [Fact]
    public void Partial_sends_resume_where_they_stopped_at_every_capacity()
    {
        var payload = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
        for (var capacity = 1; capacity <= 100; capacity++)
        {
            var queue = new TcpWriteQueue<int>(1024);
            queue.TryEnqueue(ByteString.CopyFrom(payload, 0, 37), 1, true);
            queue.TryEnqueue(ByteString.CopyFrom(payload, 37, 63), 2, true);
            var sink = new Sink { Written = new MemoryStream() };
            var done = new Done { Tokens = [] };
            var rounds = 0;
            while (true)
            {
                sink.Capacity = capacity;
                var result = queue.Flush(ref sink, ref done);
                if (result == FlushResult.Drained) break;
                Assert.Equal(FlushResult.Blocked, result);
                Assert.True(++rounds < 200);
            }

            Assert.Equal(payload, sink.Written.ToArray());
            Assert.Equal([1, 2], done.Tokens);
        }
    }

    [Fact]
    public void Accepts_any_size_when_empty_but_refuses_past_the_limit_when_not()
    {
        var queue = new TcpWriteQueue<int>(10);
        Assert.Equal(EnqueueResult.Accepted, queue.TryEnqueue(Bytes(new string('x', 50)), 1, useResumeWriting: false));
        Assert.Equal(EnqueueResult.OverLimit, queue.TryEnqueue(Bytes("y"), 2, useResumeWriting: false));
        Assert.False(queue.IsSuspended);
    }

    [Fact]
    public void Without_resume_writing_each_write_is_judged_alone()
    {
        var queue = new TcpWriteQueue<int>(10);
        queue.TryEnqueue(Bytes("12345678"), 1, false);
        Assert.Equal(EnqueueResult.OverLimit, queue.TryEnqueue(Bytes("abcdef"), 2, false));
        Assert.Equal(EnqueueResult.Accepted, queue.TryEnqueue(Bytes("ab"), 3, false));
    }

    [Fact]
    public void With_resume_writing_a_refusal_suspends_until_drained_and_resumed()
    {
        var queue = new TcpWriteQueue<int>(10);
        queue.TryEnqueue(Bytes("12345678"), 1, true);
        Assert.Equal(EnqueueResult.OverLimit, queue.TryEnqueue(Bytes("abcdef"), 2, true));
        Assert.Equal(EnqueueResult.Suspended, queue.TryEnqueue(Bytes("a"), 3, true));
        Assert.False(queue.TryResume()); // still one write queued
        Assert.Equal(EnqueueResult.Suspended, queue.TryEnqueue(Bytes("a"), 4, true));

        var sink = new Sink { Written = new MemoryStream(), Capacity = int.MaxValue };
        var done = new Done { Tokens = [] };
        Assert.Equal(FlushResult.Drained, queue.Flush(ref sink, ref done));
        Assert.True(queue.TakeResume());
        Assert.False(queue.TakeResume());
        Assert.Equal(EnqueueResult.Accepted, queue.TryEnqueue(Bytes("a"), 5, true));
    }

    [Fact]
    public void ResumeWriting_on_an_empty_queue_resumes_at_once()
    {
        var queue = new TcpWriteQueue<int>(10);
        Assert.True(queue.TryResume());
        Assert.False(queue.TakeResume());
    }

    [Fact]
    public void A_failing_sink_stops_the_flush_and_keeps_the_error()
    {
        var queue = new TcpWriteQueue<int>(100);
        queue.TryEnqueue(Bytes("abc"), 1, true);
        var sink = new Sink { Written = new MemoryStream(), FailWith = SocketError.ConnectionReset };
        var done = new Done { Tokens = [] };
        Assert.Equal(FlushResult.Failed, queue.Flush(ref sink, ref done));
        Assert.Equal(SocketError.ConnectionReset, queue.LastError);
        Assert.Empty(done.Tokens);
        Assert.Equal(1, queue.Clear());
        Assert.True(queue.IsEmpty);
    }

    [Fact]
    public void Non_compact_byte_strings_are_sent_whole()
    {
        var queue = new TcpWriteQueue<int>(100);
        var joined = Bytes("hello, ").Concat(Bytes("world"));
        queue.TryEnqueue(joined, 1, true);
        var sink = new Sink { Written = new MemoryStream(), Capacity = int.MaxValue };
        var done = new Done { Tokens = [] };
        queue.Flush(ref sink, ref done);
        Assert.Equal("hello, world", System.Text.Encoding.ASCII.GetString(sink.Written.ToArray()));
    }

    private struct CountingSink : IByteSink
    {
        public MemoryStream Written;
        public int Capacity;
        public int Calls;

        public SocketError Send(ReadOnlySpan<byte> data, out int sent)
        {
            Calls++;
            sent = Math.Min(Capacity, data.Length);
            if (sent == 0) return SocketError.WouldBlock;
            Capacity -= sent;
            Written.Write(data[..sent]);
            return SocketError.Success;
        }
    }

    [Fact]
    public void Gathers_small_writes_into_one_send_and_completes_each_in_order()
    {
        var queue = new TcpWriteQueue<int>(1 << 20);
        for (var i = 0; i < 100; i++) queue.TryEnqueue(Bytes($"<{i}>"), i, true);
        var sink = new CountingSink { Written = new MemoryStream(), Capacity = int.MaxValue };
        var done = new Done { Tokens = [] };
        Assert.Equal(FlushResult.Drained, queue.Flush(ref sink, ref done, new byte[4096]));
        Assert.Equal(1, sink.Calls);
        Assert.Equal(string.Concat(Enumerable.Range(0, 100).Select(i => $"<{i}>")), System.Text.Encoding.ASCII.GetString(sink.Written.ToArray()));
        Assert.Equal(Enumerable.Range(0, 100), done.Tokens);
    }

    [Fact]
    public void Gathered_partial_sends_resume_exactly_at_every_capacity_with_empty_writes_between()
    {
        var parts = new[] { "ab", "", "cde", "", "", "f", "ghij", "" };
        var expected = string.Concat(parts);
        for (var capacity = 1; capacity <= expected.Length; capacity++)
        {
            var queue = new TcpWriteQueue<int>(1 << 20);
            for (var i = 0; i < parts.Length; i++) queue.TryEnqueue(Bytes(parts[i]), i, true);
            var sink = new CountingSink { Written = new MemoryStream() };
            var done = new Done { Tokens = [] };
            for (var round = 0; ; round++)
            {
                Assert.True(round < 100);
                sink.Capacity = capacity;
                var before = (int)sink.Written.Length;
                if (queue.Flush(ref sink, ref done, new byte[8]) == FlushResult.Drained) break;

                // Every write whose bytes are all out is completed, and no other.
                var written = (int)sink.Written.Length;
                var complete = 0;
                for (var sum = 0; complete < parts.Length && sum + parts[complete].Length <= written; complete++) sum += parts[complete].Length;
                Assert.Equal(Enumerable.Range(0, complete), done.Tokens);
                Assert.True(written > before || capacity == 0);
            }

            Assert.Equal(expected, System.Text.Encoding.ASCII.GetString(sink.Written.ToArray()));
            Assert.Equal(Enumerable.Range(0, parts.Length), done.Tokens);
            Assert.Equal(0, queue.PendingBytes);
        }
    }

    [Fact]
    public void A_large_write_is_sent_from_its_own_memory_after_gathered_small_ones()
    {
        var queue = new TcpWriteQueue<int>(1 << 20);
        queue.TryEnqueue(Bytes("hi"), 1, true);
        var big = new string('x', 10_000);
        queue.TryEnqueue(Bytes(big), 2, true);
        var sink = new CountingSink { Written = new MemoryStream(), Capacity = int.MaxValue };
        var done = new Done { Tokens = [] };
        Assert.Equal(FlushResult.Drained, queue.Flush(ref sink, ref done, new byte[64]));
        Assert.Equal("hi" + big, System.Text.Encoding.ASCII.GetString(sink.Written.ToArray()));
        Assert.Equal([1, 2], done.Tokens);
    }

    [Fact]
    public void An_asynchronous_sink_takes_whole_heads_and_completes_the_empty_writes_behind_each_in_order()
    {
        var queue = new TcpWriteQueue<int>(1024);
        queue.TryEnqueue(Bytes("ab"), 1, true);
        queue.TryEnqueue(ByteString.Empty, 2, true);
        queue.TryEnqueue(Bytes("cde"), 3, true);
        var done = new Done { Tokens = [] };

        Assert.True(queue.TryPeekHead(out var head));
        Assert.Equal("ab", head.ToString());
        queue.CompleteHead(ref done);
        Assert.Equal([1, 2], done.Tokens);
        Assert.Equal(3, queue.PendingBytes);

        Assert.True(queue.TryPeekHead(out head));
        Assert.Equal("cde", head.ToString());
        queue.CompleteHead(ref done);
        Assert.Equal([1, 2, 3], done.Tokens);
        Assert.True(queue.IsEmpty);
        Assert.Equal(0, queue.PendingBytes);
        Assert.False(queue.TryPeekHead(out _));
        queue.CompleteHead(ref done);
        Assert.Equal(3, done.Tokens.Count);
    }

    [Fact]
    public void The_head_counts_against_the_limit_until_the_asynchronous_sink_completes_it()
    {
        var queue = new TcpWriteQueue<int>(4);
        queue.TryEnqueue(Bytes("abcd"), 1, true);
        Assert.True(queue.TryPeekHead(out _));
        Assert.Equal(EnqueueResult.OverLimit, queue.TryEnqueue(Bytes("e"), 2, true));
        var done = new Done { Tokens = [] };
        queue.CompleteHead(ref done);
        Assert.Equal(EnqueueResult.Suspended, queue.TryEnqueue(Bytes("e"), 2, true));
        Assert.True(queue.TryResume());
        Assert.Equal(EnqueueResult.Accepted, queue.TryEnqueue(Bytes("e"), 3, true));
    }

    [Fact]
    public void FailAll_hands_every_token_over_in_order_and_empties_the_queue()
    {
        var queue = new TcpWriteQueue<int>(1024);
        queue.TryEnqueue(Bytes("ab"), 1, true);
        queue.TryEnqueue(Bytes("cd"), 2, true);
        var sink = new Sink { Written = new MemoryStream(), Capacity = 1 };
        var done = new Done { Tokens = [] };
        Assert.Equal(FlushResult.Blocked, queue.Flush(ref sink, ref done));
        var failed = new Done { Tokens = [] };
        queue.FailAll(ref failed);
        Assert.Equal([1, 2], failed.Tokens);
        Assert.Empty(done.Tokens);
        Assert.True(queue.IsEmpty);
        Assert.Equal(0, queue.PendingBytes);
        Assert.Equal(EnqueueResult.Accepted, queue.TryEnqueue(Bytes("xyz"), 3, true));
        Assert.True(queue.TryPeekHead(out var head));
        Assert.Equal("xyz", head.ToString());
    }
}
