using System.Net.Sockets;
using Akka.Actor;
using Akka.IO;
using BenchmarkDotNet.Attributes;
using Epsilon.Actors.Io.Tcp;
using AkkaTcp = Akka.IO.Tcp;

namespace Epsilon.Actors.Bench.Micro;

/// <summary>
/// The pure <see cref="TcpWriteQueue{TToken}"/> with the connection actor's own token type,
/// flushing into a sink that takes every byte: enqueue + flush of one 64-byte write, and of 16
/// writes queued before one flush. After warm-up the queue's ring buffer has its size, so
/// nothing should be allocated per write.
/// </summary>
[BenchmarkCategory("Tcp")]
public class TcpWriteQueueBench
{
    private const int Batch = 16;

    private readonly TcpWriteQueue<TcpWriteToken> _queue = new(4 * 1024 * 1024);
    private readonly ByteString _data = ByteString.FromBytes(new byte[64]);
    private TcpWriteToken _token;
    private NullSink _sink;
    private CountingCompletion _completion;

    [GlobalSetup]
    public void Setup()
    {
        var write = AkkaTcp.Write.Create(_data);
        _token = new TcpWriteToken(ActorRefs.Nobody, null, write);
        EnqueueFlushBatch();
        if (_sink.Bytes != Batch * 64 || _completion.Count != Batch || !_queue.IsEmpty)
            throw new InvalidOperationException("the queue did not hand every byte to the sink");
    }

    [Benchmark(Description = "TryEnqueue 64 B + Flush")]
    public int EnqueueFlush()
    {
        _queue.TryEnqueue(_data, _token, useResumeWriting: true);
        return (int)_queue.Flush(ref _sink, ref _completion);
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "16 × TryEnqueue 64 B, 1 Flush (per write)")]
    public int EnqueueFlushBatch()
    {
        for (var i = 0; i < Batch; i++) _queue.TryEnqueue(_data, _token, useResumeWriting: true);
        return (int)_queue.Flush(ref _sink, ref _completion);
    }

    private struct NullSink : IByteSink
    {
        public long Bytes;

        public SocketError Send(ReadOnlySpan<byte> data, out int sent)
        {
            sent = data.Length;
            Bytes += sent;
            return SocketError.Success;
        }
    }

    private struct CountingCompletion : IWriteCompletion<TcpWriteToken>
    {
        public long Count;

        public void Completed(TcpWriteToken token) => Count++;
    }
}
