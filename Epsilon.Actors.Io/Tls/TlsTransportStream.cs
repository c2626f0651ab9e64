using Akka.IO;

namespace Epsilon.Actors.Io.Tls;

/// <summary>
/// The in-memory duplex <see cref="Stream"/> under an <see cref="System.Net.Security.SslStream"/>: its reads are
/// served from ciphertext the shell feeds from the network, its writes become ciphertext the
/// shell sends. Back-pressure both ways: a read waits (and asks the shell for ciphertext once)
/// until the shell feeds; a write completes only when the shell has passed its bytes on.
/// </summary>
/// <remarks>
/// Chosen over a pipe pair (<c>System.IO.Pipelines</c>) because it copies each byte once per
/// direction (network chunk into SslStream's buffer; SslStream's buffer into one ByteString) and
/// holds at most one network chunk, where a pipe adds a copy, its own buffer segments and a
/// second scheduling hop (see docs/tls.md for the measurement). Thread-safe: SslStream may read
/// and write at the same time from pool threads while the shell feeds from its own.
/// </remarks>
internal sealed class TlsTransportStream(Action<object> post) : Stream
{
    private readonly object _lock = new();
    /// <summary>Ciphertext (bytes) that may wait for the network before writes wait too; and how much the shell reads ahead.</summary>
    internal const int Watermark = 64 * 1024;

    private readonly Queue<int> _outSizes = new();
    private readonly List<TaskCompletionSource> _writeWaiters = [];
    private long _outstanding;
    private ByteString _inbound = ByteString.Empty;
    private bool _inboundEnded;
    private TaskCompletionSource<int>? _pendingRead;
    private Memory<byte> _pendingBuffer;
    private Exception? _failure;
    private int _firstByte = -1;
    private bool _held;

    /// <summary>True once a read of this stream returned end of stream (the network's FIN reached SslStream).</summary>
    public bool EndDelivered { get; private set; }

    /// <summary>The first ciphertext byte received, or -1 (a TLS record starts with 0x14–0x17).</summary>
    public int FirstByte => Volatile.Read(ref _firstByte);

    /// <summary>The first bytes received, for the message of a peer that does not speak TLS.</summary>
    public string FirstBytesText { get; private set; } = "";

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanWrite => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Ciphertext from the network (only after <see cref="TlsMessages.CiphertextWanted"/>).</summary>
    public void Feed(ByteString chunk)
    {
        TaskCompletionSource<int>? done = null;
        var n = 0;
        lock (_lock)
        {
            if (_firstByte < 0 && !chunk.IsEmpty)
            {
                _firstByte = chunk[0];
                FirstBytesText = Printable(chunk);
            }

            _inbound = _inbound.IsEmpty ? chunk : _inbound.Concat(chunk);
            if (_pendingRead is not null && !_inbound.IsEmpty && !_held)
            {
                n = Take(_pendingBuffer.Span);
                done = _pendingRead;
                _pendingRead = null;
                _pendingBuffer = default;
            }
        }

        done?.TrySetResult(n);
    }

    /// <summary>The network's receiving side ended: reads return 0 once the fed bytes are consumed.</summary>
    public void FeedEnd()
    {
        TaskCompletionSource<int>? done = null;
        lock (_lock)
        {
            _inboundEnded = true;
            if (_pendingRead is not null && !_held)
            {
                done = _pendingRead;
                _pendingRead = null;
                EndDelivered = true;
            }
        }

        done?.TrySetResult(0);
    }

    /// <summary>True while SslStream waits in a read of this stream (so it is not decrypting).</summary>
    public bool ReadPending
    {
        get
        {
            lock (_lock) return _pendingRead is not null;
        }
    }

    /// <summary>Keeps a waiting read waiting (fed bytes are kept) until <see cref="Release"/>.</summary>
    public void Hold()
    {
        lock (_lock) _held = true;
    }

    /// <summary>Ends <see cref="Hold"/>: a waiting read takes what was fed meanwhile.</summary>
    public void Release()
    {
        TaskCompletionSource<int>? done = null;
        var n = 0;
        lock (_lock)
        {
            _held = false;
            if (_pendingRead is not null && (!_inbound.IsEmpty || _inboundEnded))
            {
                done = _pendingRead;
                if (_inbound.IsEmpty) EndDelivered = true;
                else n = Take(_pendingBuffer.Span);
                _pendingRead = null;
                _pendingBuffer = default;
            }
        }

        done?.TrySetResult(n);
    }

    /// <summary>True while less than <see cref="Watermark"/> fed ciphertext waits to be read: the shell may read ahead.</summary>
    public bool WantsMore
    {
        get
        {
            lock (_lock) return _failure is null && !_inboundEnded && _inbound.Count < Watermark;
        }
    }

    /// <summary>The oldest ciphertext chunk handed out is passed on; writes waiting for room go on.</summary>
    public void CiphertextTaken()
    {
        TaskCompletionSource[]? released = null;
        lock (_lock)
        {
            if (_outSizes.TryDequeue(out var size)) _outstanding -= size;
            if (_outstanding <= Watermark && _writeWaiters.Count > 0)
            {
                released = _writeWaiters.ToArray();
                _writeWaiters.Clear();
            }
        }

        if (released is not null)
        {
            foreach (var w in released) w.TrySetResult();
        }
    }

    /// <summary>Fails every pending and later read and write with <paramref name="error"/>.</summary>
    public void Fail(Exception error)
    {
        TaskCompletionSource<int>? read;
        TaskCompletionSource[] writes;
        lock (_lock)
        {
            _failure ??= error;
            read = _pendingRead;
            _pendingRead = null;
            writes = _writeWaiters.ToArray();
            _writeWaiters.Clear();
        }

        read?.TrySetException(error);
        foreach (var w in writes) w.TrySetException(error);
    }

    /// <inheritdoc />
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        TaskCompletionSource<int> pending;
        lock (_lock)
        {
            if (_failure is not null) return ValueTask.FromException<int>(_failure);
            if (buffer.IsEmpty) return new ValueTask<int>(0);
            if (!_inbound.IsEmpty) return new ValueTask<int>(Take(buffer.Span));
            if (_inboundEnded)
            {
                EndDelivered = true;
                return new ValueTask<int>(0);
            }

            pending = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            _pendingRead = pending;
            _pendingBuffer = buffer;
        }

        post(TlsMessages.CiphertextWanted.Instance);
        return new ValueTask<int>(pending.Task);
    }

    /// <summary>
    /// Hands the ciphertext to the shell. Completes at once while at most <see cref="Watermark"/>
    /// bytes wait for the network (so SslStream can encrypt the next record meanwhile), and only
    /// once the shell has passed enough on otherwise: back-pressure with a bounded buffer.
    /// </summary>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty) return ValueTask.CompletedTask;
        TaskCompletionSource? waiter = null;
        lock (_lock)
        {
            if (_failure is not null) return ValueTask.FromException(_failure);
            _outSizes.Enqueue(buffer.Length);
            _outstanding += buffer.Length;
            if (_outstanding > Watermark)
            {
                waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _writeWaiters.Add(waiter);
            }
        }

        // SslStream reuses its buffer once the write completes: the bytes must be copied.
        post(new TlsMessages.CiphertextOut(ByteString.FromBytes(buffer.ToArray())));
        return waiter is null ? ValueTask.CompletedTask : new ValueTask(waiter.Task);
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <summary>Not supported: SslStream is only driven asynchronously here, so no thread ever blocks.</summary>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("TLS transport is asynchronous only");

    /// <summary>Not supported: SslStream is only driven asynchronously here, so no thread ever blocks.</summary>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("TLS transport is asynchronous only");

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) Fail(new ObjectDisposedException(nameof(TlsTransportStream)));
        base.Dispose(disposing);
    }

    private int Take(Span<byte> target)
    {
        var n = Math.Min(target.Length, _inbound.Count);
        var slice = target[..n];
        if (n == _inbound.Count)
        {
            _inbound.CopyTo(ref slice);
            _inbound = ByteString.Empty;
        }
        else
        {
            _inbound.Slice(0, n).CopyTo(ref slice);
            _inbound = _inbound.Slice(n);
        }

        return n;
    }

    private static string Printable(ByteString chunk)
    {
        var n = Math.Min(chunk.Count, 16);
        var chars = new char[n];
        for (var i = 0; i < n; i++)
        {
            var b = chunk[i];
            chars[i] = b is >= 0x20 and < 0x7f ? (char)b : '.';
        }

        return new string(chars);
    }
}
