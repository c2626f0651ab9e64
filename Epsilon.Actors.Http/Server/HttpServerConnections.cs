using Akka.Event;
using Epsilon.Actors.Http.Connections;
using Epsilon.Actors.Http.Settings;

namespace Epsilon.Actors.Http.Server;

/// <summary>
/// The live connections of one binding: admission against
/// <see cref="HttpServerSettings.MaxConcurrentConnections"/>, and the graceful and hard ends of
/// <see cref="HttpServerBinding.Terminate"/>. Thread-safe (connections register from their own
/// stage, termination comes from the caller's thread).
/// </summary>
internal sealed class HttpServerConnections : IConnectionRegistry
{
    private readonly object _lock = new();
    private readonly HashSet<IServerConnection> _live = [];
    private readonly TaskCompletionSource _allClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _limit;
    private long _reserved;
    private long _accepted;
    private bool _terminating;

    public HttpServerConnections(HttpServerSettings settings, ILoggingAdapter log)
    {
        _limit = settings.MaxConcurrentConnections ?? long.MaxValue;
        Log = log;
    }

    /// <summary>For the connections' debug lines (rejections, timeouts).</summary>
    public ILoggingAdapter Log { get; }

    /// <summary>Connections accepted and served since the binding started (refused ones not counted).</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Connections currently served.</summary>
    public int Count
    {
        get
        {
            lock (_lock) return (int)_reserved;
        }
    }

    /// <summary>Whether termination has begun (new connections are refused).</summary>
    public bool IsTerminating
    {
        get
        {
            lock (_lock) return _terminating;
        }
    }

    /// <summary>Completes when termination has begun and the last connection has ended.</summary>
    public Task AllClosed => _allClosed.Task;

    /// <summary>Takes a place for a new connection; false (close it at once) over the limit or while terminating.</summary>
    public bool TryReserve()
    {
        lock (_lock)
        {
            if (_terminating || _reserved >= _limit) return false;
            _reserved++;
        }

        Interlocked.Increment(ref _accepted);
        return true;
    }

    /// <summary>A reserved connection's stage started; during termination it is told to close gracefully at once.</summary>
    public void Register(IServerConnection connection)
    {
        bool terminating;
        lock (_lock)
        {
            _live.Add(connection);
            terminating = _terminating;
        }

        if (terminating) connection.BeginGracefulClose();
    }

    /// <summary>A connection ended (its stage stopped, or it never started); frees its place.</summary>
    public void Release(IServerConnection? connection)
    {
        bool done;
        lock (_lock)
        {
            if (connection is not null) _live.Remove(connection);
            _reserved--;
            done = _terminating && _reserved == 0;
        }

        if (done) _allClosed.TrySetResult();
    }

    /// <summary>Refuses new connections and asks every live one to close gracefully.</summary>
    public void BeginTermination()
    {
        IServerConnection[] live;
        bool done;
        lock (_lock)
        {
            if (_terminating) return;
            _terminating = true;
            live = [.. _live];
            done = _reserved == 0;
        }

        foreach (var connection in live) connection.BeginGracefulClose();
        if (done) _allClosed.TrySetResult();
    }

    /// <summary>Closes every connection still live (the hard deadline).</summary>
    public void AbortAll()
    {
        IServerConnection[] live;
        lock (_lock) live = [.. _live];
        foreach (var connection in live) connection.Abort();
    }
}
