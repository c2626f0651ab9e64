using System.Collections.Concurrent;
using Akka.Dispatch;

namespace Epsilon.Actors.Io.EventLoops;

/// <summary>
/// One dedicated thread running one <see cref="IPoller"/>: it waits for readiness, hands each event
/// to its registration's listener, then runs the tasks queued to it (actor mailboxes, when the loop
/// serves as a dispatcher, and work handed over from other threads).
/// </summary>
/// <remarks>
/// Thread-safety: <see cref="Register"/>, <see cref="Arm"/>, <see cref="Unregister"/> and
/// <see cref="Execute"/> may be called from any thread. The registration table and the poller's
/// removal calls are touched only by the loop thread.
/// </remarks>
internal sealed class EventLoop : IDisposable
{
    private const int MaxEventsPerWait = 256;
    private const int MaxTasksPerTurn = 4096;

    private readonly IPoller _poller;
    private readonly Thread _thread;
    private readonly ConcurrentQueue<IRunnable> _tasks = new();
    private readonly Dictionary<ulong, LoopRegistration> _registrations = new();
    private readonly object _registrationLock = new();
    private readonly CancellationTokenSource _stop = new();
    private ulong _nextToken;
    private int _sleeping;
    private int _disposed;
    private int _registeredCount;

    /// <summary>Creates and starts a loop.</summary>
    public EventLoop(IPoller poller, int index, string name)
    {
        _poller = poller;
        Index = index;
        _thread = new Thread(Run) { IsBackground = true, Name = $"{name}-{index}" };
        _thread.Start();
    }

    /// <summary>This loop's position in its group.</summary>
    public int Index { get; }

    /// <summary>How many sockets are registered now.</summary>
    public int RegisteredCount => Volatile.Read(ref _registeredCount);

    /// <summary>True while the loop's thread is alive.</summary>
    public bool IsRunning => _thread.IsAlive;

    /// <summary>True on this loop's own thread.</summary>
    public bool InLoop => Thread.CurrentThread == _thread;

    /// <summary>Registers a socket and returns its registration. Nothing is armed yet.</summary>
    public LoopRegistration Register(LoopSocket socket, IReadinessListener listener)
    {
        LoopRegistration registration;
        lock (_registrationLock)
        {
            registration = new LoopRegistration(this, socket, listener, ++_nextToken);
            _registrations.Add(registration.Token, registration);
        }

        Interlocked.Increment(ref _registeredCount);
        try
        {
            _poller.Register(socket, registration.Token);
        }
        catch
        {
            lock (_registrationLock) _registrations.Remove(registration.Token);
            Interlocked.Decrement(ref _registeredCount);
            throw;
        }

        return registration;
    }

    /// <summary>
    /// Asks for one readiness notification per direction. If the direction was already seen ready,
    /// the listener is told at once, on the calling thread.
    /// </summary>
    public void Arm(LoopRegistration registration, IoReadiness interest)
    {
        var (readyNow, toArm) = registration.Arm(interest);
        if (toArm != IoReadiness.None) _poller.Arm(registration.Socket, registration.Token, toArm);
        if (readyNow != IoReadiness.None) registration.Listener.OnReady(readyNow);
    }

    /// <summary>
    /// Removes the socket from the poller and closes it (with a reset when <paramref name="abort"/>
    /// is true) before returning, so a reply sent afterwards (<c>Unbound</c>, <c>Closed</c>) never
    /// overtakes the close. No readiness is delivered afterwards: events already fetched for it are
    /// dropped by token. Thread-safe (epoll_ctl and the portable detach are).
    /// </summary>
    public void Unregister(LoopRegistration registration, bool abort) => CompleteUnregister(registration, abort);

    /// <summary>
    /// Delivers <paramref name="readiness"/> to the registration's listener again after the loop
    /// has run its other pending work: how a channel that stopped reading (or accepting) to be
    /// fair continues, without starving its neighbours or its own handler's messages.
    /// </summary>
    public void Yield(LoopRegistration registration, IoReadiness readiness)
    {
        Execute(new YieldTask(registration, readiness));
    }

    /// <summary>Queues work to run on the loop thread. Never blocks.</summary>
    public void Execute(IRunnable task)
    {
        _tasks.Enqueue(task);
        if (!InLoop && Volatile.Read(ref _sleeping) == 1 && Interlocked.Exchange(ref _sleeping, 0) == 1)
            _poller.Wake();
    }

    /// <summary>Stops the thread and closes the poller. Sockets still registered are closed.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _stop.Cancel();
        _poller.Wake();
        if (!InLoop) _thread.Join(TimeSpan.FromSeconds(5));
        lock (_registrationLock)
        {
            foreach (var r in _registrations.Values) r.Socket.Dispose();
            _registrations.Clear();
        }

        _poller.Dispose();
    }

    private void Run()
    {
        var events = new PollerEvent[MaxEventsPerWait];
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            var timeout = -1;
            Volatile.Write(ref _sleeping, 1);
            Interlocked.MemoryBarrier();
            if (!_tasks.IsEmpty) timeout = 0;

            int count;
            try
            {
                count = _poller.Wait(events, timeout);
            }
            catch (ObjectDisposedException) when (token.IsCancellationRequested)
            {
                break;
            }

            Volatile.Write(ref _sleeping, 0);
            for (var i = 0; i < count; i++) Dispatch(in events[i]);
            RunTasks();
        }
    }

    private void Dispatch(in PollerEvent e)
    {
        LoopRegistration? registration;
        lock (_registrationLock) _registrations.TryGetValue(e.Token, out registration);
        if (registration is null || registration.Unregistered) return;
        var deliver = registration.Signal(e.Readiness);
        if (deliver != IoReadiness.None) registration.Listener.OnReady(deliver);
    }

    private void RunTasks()
    {
        // Run only what was queued before this turn began: work queued by these tasks (a
        // mailbox re-scheduling itself, a yield) waits until after the next poll.
        var count = Math.Min(_tasks.Count, MaxTasksPerTurn);
        for (var i = 0; i < count && _tasks.TryDequeue(out var task); i++)
        {
            try
            {
                task.Run();
            }
            catch (Exception ex)
            {
                // A task is a mailbox run or a registration change; neither should throw, and one
                // that does must not take the loop (and every other connection on it) down.
                Console.Error.WriteLine($"[epsilon] event loop {Index}: task failed: {ex}");
            }
        }
    }

    private void CompleteUnregister(LoopRegistration registration, bool abort)
    {
        lock (_registrationLock)
        {
            if (registration.Unregistered) return;
            registration.Unregistered = true;
            _registrations.Remove(registration.Token);
        }

        Interlocked.Decrement(ref _registeredCount);
        try
        {
            _poller.Unregister(registration.Socket);
        }
        finally
        {
            if (abort) registration.Socket.Abort();
            else registration.Socket.Dispose();
        }
    }

    private sealed class YieldTask(LoopRegistration registration, IoReadiness readiness) : IRunnable
    {
        public void Run()
        {
            if (!registration.Unregistered) registration.Listener.OnReady(readiness);
        }

        public void Execute() => Run();
    }

}
