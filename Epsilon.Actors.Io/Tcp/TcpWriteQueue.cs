using System.Net.Sockets;
using Akka.IO;

namespace Epsilon.Actors.Io.Tcp;

/// <summary>Where <see cref="TcpWriteQueue{TToken}"/> writes bytes: a non-blocking socket, or a test buffer.</summary>
internal interface IByteSink
{
    /// <summary>Writes what fits; <see cref="SocketError.WouldBlock"/> with 0 when nothing fits.</summary>
    SocketError Send(ReadOnlySpan<byte> data, out int sent);
}

/// <summary>Told of each write that has been handed over whole.</summary>
internal interface IWriteCompletion<TToken>
{
    /// <summary>All bytes of the write carrying <paramref name="token"/> are in the kernel.</summary>
    void Completed(TToken token);
}

/// <summary>What <see cref="TcpWriteQueue{TToken}.TryEnqueue"/> decided.</summary>
internal enum EnqueueResult
{
    /// <summary>Queued; flush to send it.</summary>
    Accepted,

    /// <summary>Refused: the pending bytes would exceed the limit. Answer with <c>CommandFailed</c>.</summary>
    OverLimit,

    /// <summary>Refused: writing is suspended after an earlier refusal until <c>ResumeWriting</c> is honoured.</summary>
    Suspended,
}

/// <summary>What <c>TcpWriteQueue.Flush</c> ended with.</summary>
internal enum FlushResult
{
    /// <summary>Everything queued has been handed to the sink.</summary>
    Drained,

    /// <summary>The sink is full; arm write interest and flush again when writable.</summary>
    Blocked,

    /// <summary>The sink failed; see <see cref="TcpWriteQueue{TToken}.LastError"/>.</summary>
    Failed,
}

/// <summary>
/// The pending writes of one connection, with Akka.IO's back-pressure rules: a byte limit,
/// NACK by refusal, and the optional "suspend until ResumeWriting" mode. Pure: no actors, no
/// sockets, no clock; the caller supplies the sink and receives the completed writes' tokens.
/// </summary>
/// <remarks>
/// A write is accepted while the queue is empty whatever its size, so a single large
/// <c>Tcp.Write</c> always goes through; the limit only stops a writer from piling up more.
/// </remarks>
internal sealed class TcpWriteQueue<TToken>
{
    private readonly Queue<Entry> _entries = new();
    private readonly long _maxPendingBytes;
    private int _headOffset;

    /// <summary>Creates a queue that refuses writes past <paramref name="maxPendingBytes"/> unsent bytes.</summary>
    public TcpWriteQueue(long maxPendingBytes) => _maxPendingBytes = maxPendingBytes;

    /// <summary>Unsent bytes held.</summary>
    public long PendingBytes { get; private set; }

    /// <summary>True when no write is waiting.</summary>
    public bool IsEmpty => _entries.Count == 0;

    /// <summary>True after a refusal in resume-writing mode, until <see cref="TryResume"/> succeeds.</summary>
    public bool IsSuspended { get; private set; }

    /// <summary>True when <c>ResumeWriting</c> arrived while writes were still queued.</summary>
    public bool ResumeRequested { get; private set; }

    /// <summary>The error that made the last <c>Flush</c> fail.</summary>
    public SocketError LastError { get; private set; }

    /// <summary>Queues <paramref name="data"/> unless the limit or the suspension forbids it.</summary>
    /// <param name="data">The bytes; a non-compact string is compacted once here, so flushing never copies.</param>
    /// <param name="token">Handed back through <see cref="IWriteCompletion{TToken}"/> when sent.</param>
    /// <param name="useResumeWriting">Akka.IO's <c>Register.UseResumeWriting</c>: a refusal suspends later writes.</param>
    public EnqueueResult TryEnqueue(ByteString data, TToken token, bool useResumeWriting)
    {
        var result = Admit(data.Count, useResumeWriting);
        if (result == EnqueueResult.Accepted) Add(data, token);
        return result;
    }

    /// <summary>
    /// Decides whether <paramref name="bytes"/> more may be queued, as one unit (all parts of a
    /// <c>CompoundWrite</c> together); on <see cref="EnqueueResult.Accepted"/> the caller must
    /// <see cref="Add"/> them.
    /// </summary>
    public EnqueueResult Admit(long bytes, bool useResumeWriting)
    {
        if (IsSuspended) return EnqueueResult.Suspended;
        if (WouldExceed(bytes))
        {
            if (useResumeWriting) IsSuspended = true;
            return EnqueueResult.OverLimit;
        }

        return EnqueueResult.Accepted;
    }

    /// <summary>True when <paramref name="bytes"/> more would go past the limit (no state changes).</summary>
    public bool WouldExceed(long bytes) => _entries.Count > 0 && PendingBytes + bytes > _maxPendingBytes;

    /// <summary>Queues <paramref name="data"/> after <see cref="Admit"/> accepted it.</summary>
    public void Add(ByteString data, TToken token)
    {
        _entries.Enqueue(new Entry(data.IsCompact ? data : data.Compact(), token));
        PendingBytes += data.Count;
    }

    /// <summary>Ends a suspension (the handler registered without resume-writing semantics).</summary>
    public void ClearSuspension()
    {
        IsSuspended = false;
        ResumeRequested = false;
    }

    /// <summary>
    /// Honours <c>ResumeWriting</c>: true when writing may resume now (answer <c>WritingResumed</c>);
    /// false when queued writes must drain first (then <c>Flush</c> returns
    /// <see cref="FlushResult.Drained"/> and <see cref="TakeResume"/> says so).
    /// </summary>
    public bool TryResume()
    {
        if (_entries.Count == 0)
        {
            IsSuspended = false;
            ResumeRequested = false;
            return true;
        }

        ResumeRequested = true;
        return false;
    }

    /// <summary>After a drain: true once if a <c>ResumeWriting</c> was waiting for it (answer <c>WritingResumed</c>).</summary>
    public bool TakeResume()
    {
        if (!ResumeRequested || _entries.Count > 0) return false;
        ResumeRequested = false;
        IsSuspended = false;
        return true;
    }

    /// <summary>Writes queued data to <paramref name="sink"/> until drained, blocked or failed.</summary>
    public FlushResult Flush<TSink, TCompletion>(ref TSink sink, ref TCompletion completion)
        where TSink : struct, IByteSink
        where TCompletion : struct, IWriteCompletion<TToken> =>
        Flush(ref sink, ref completion, Span<byte>.Empty);

    /// <summary>
    /// Writes queued data to <paramref name="sink"/> until drained, blocked or failed. When
    /// several writes are queued and the first is small, they are copied into
    /// <paramref name="gather"/> and sent with one call (a copy of a few bytes is far cheaper
    /// than a system call); a large write is sent from its own memory.
    /// </summary>
    public FlushResult Flush<TSink, TCompletion>(ref TSink sink, ref TCompletion completion, Span<byte> gather)
        where TSink : struct, IByteSink
        where TCompletion : struct, IWriteCompletion<TToken>
    {
        while (_entries.TryPeek(out var head))
        {
            var headRemaining = head.Data.ToReadOnlySpan().Slice(_headOffset);
            ReadOnlySpan<byte> chunk = headRemaining;
            if (_entries.Count > 1 && headRemaining.Length <= gather.Length / 2)
            {
                var used = 0;
                var first = true;
                foreach (var entry in _entries)
                {
                    var span = first ? headRemaining : entry.Data.ToReadOnlySpan();
                    first = false;
                    if (used + span.Length > gather.Length) break;
                    span.CopyTo(gather.Slice(used));
                    used += span.Length;
                }

                chunk = gather.Slice(0, used);
            }

            if (chunk.IsEmpty)
            {
                // An empty write (its ack is due once everything before it is out).
                Complete(0, ref completion);
                continue;
            }

            var error = sink.Send(chunk, out var sent);
            if (sent > 0) Complete(sent, ref completion);
            if (error == SocketError.WouldBlock || (error == SocketError.Success && sent == 0)) return FlushResult.Blocked;
            if (error != SocketError.Success)
            {
                LastError = error;
                return FlushResult.Failed;
            }
        }

        return FlushResult.Drained;
    }

    // Accounts for `sent` bytes handed to the sink, completing every write they finish (and the
    // empty writes right behind them).
    private void Complete<TCompletion>(int sent, ref TCompletion completion)
        where TCompletion : struct, IWriteCompletion<TToken>
    {
        PendingBytes -= sent;
        while (_entries.TryPeek(out var head))
        {
            var remaining = head.Data.Count - _headOffset;
            if (sent < remaining)
            {
                _headOffset += sent;
                return;
            }

            sent -= remaining;
            _entries.Dequeue();
            _headOffset = 0;
            completion.Completed(head.Token);
            if (sent == 0 && (!_entries.TryPeek(out var next) || next.Data.Count > 0)) return;
        }
    }

    /// <summary>
    /// The head write's unsent bytes, for a sink that takes whole writes and finishes them later
    /// (the TLS adapter hands each one to SslStream); false when the queue is empty.
    /// </summary>
    public bool TryPeekHead(out ByteString data)
    {
        if (!_entries.TryPeek(out var head))
        {
            data = ByteString.Empty;
            return false;
        }

        data = _headOffset == 0 ? head.Data : head.Data.Slice(_headOffset);
        return true;
    }

    /// <summary>
    /// The head write (as <see cref="TryPeekHead"/> gave it) is all handed over: completes it,
    /// and the empty writes right behind it, in order.
    /// </summary>
    public void CompleteHead<TCompletion>(ref TCompletion completion)
        where TCompletion : struct, IWriteCompletion<TToken>
    {
        if (_entries.TryPeek(out var head)) Complete(head.Data.Count - _headOffset, ref completion);
    }

    /// <summary>Drops every queued write, handing each token to <paramref name="failed"/> in order (the connection closed before they were sent).</summary>
    public void FailAll<TCompletion>(ref TCompletion failed)
        where TCompletion : struct, IWriteCompletion<TToken>
    {
        foreach (var entry in _entries) failed.Completed(entry.Token);
        Clear();
    }

    /// <summary>Drops every queued write (abort, or a failed socket) and returns how many there were.</summary>
    public int Clear()
    {
        var n = _entries.Count;
        _entries.Clear();
        _headOffset = 0;
        PendingBytes = 0;
        return n;
    }

    private readonly record struct Entry(ByteString Data, TToken Token);
}
