namespace Epsilon.Actors.Io.EventLoops;

/// <summary>
/// A fixed set of event loops of one backend, handed out round-robin so connections spread evenly.
/// </summary>
internal sealed class EventLoopGroup : IDisposable
{
    private readonly EventLoop[] _loops;
    private int _next = -1;

    /// <summary>Starts <paramref name="count"/> loops on <paramref name="backend"/>.</summary>
    public EventLoopGroup(IoBackend backend, int count, string name, TimeSpan spinBeforeWait = default)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "at least one event loop is needed");
        Backend = backend;
        _loops = new EventLoop[count];
        for (var i = 0; i < count; i++) _loops[i] = new EventLoop(backend.CreatePoller(), i, name, spinBeforeWait);
    }

    /// <summary>The backend every loop of this group runs.</summary>
    public IoBackend Backend { get; }

    /// <summary>The loops, by index.</summary>
    public IReadOnlyList<EventLoop> Loops => _loops;

    /// <summary>The next loop in round-robin order. Thread-safe.</summary>
    public EventLoop Next()
    {
        var i = (uint)Interlocked.Increment(ref _next);
        return _loops[i % (uint)_loops.Length];
    }

    /// <summary>Stops every loop.</summary>
    public void Dispose()
    {
        foreach (var loop in _loops) loop.Dispose();
    }
}
