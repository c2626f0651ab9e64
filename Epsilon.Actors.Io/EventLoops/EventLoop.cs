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
    private readonly ConcurrentQueue<IRunnable> _nextTurn = new();
    private readonly object _registrationLock = new();
    private readonly Stack<int> _freeSlots = new();
    private readonly CancellationTokenSource _stop = new();

    // Registrations by slot; a token is (generation << 32 | slot), so an event for a slot that
    // was freed and reused is recognised as stale. Read without a lock on the loop thread; the
    // array reference is replaced (never shrunk) under the lock when it grows.
    private LoopRegistration?[] _slots = new LoopRegistration?[64];
    private int _slotCount;
    private uint _generation;
    private int _sleeping;
    private readonly long _spinTicks;
    private int _disposed;
    private int _registeredCount;

    /// <summary>Creates and starts a loop.</summary>
    public EventLoop(IPoller poller, int index, string name, TimeSpan spinBeforeWait = default)
    {
        _poller = poller;
        Index = index;
        _spinTicks = (long)(spinBeforeWait.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
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
            var slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : _slotCount++;
            if (slot >= _slots.Length)
            {
                var grown = new LoopRegistration?[_slots.Length * 2];
                Array.Copy(_slots, grown, _slots.Length);
                Volatile.Write(ref _slots, grown);
            }

            registration = new LoopRegistration(this, socket, listener, ((ulong)++_generation << 32) | (uint)slot);
            Volatile.Write(ref _slots[slot], registration);
        }

        Interlocked.Increment(ref _registeredCount);
        try
        {
            _poller.Register(socket, registration.Token);
        }
        catch
        {
            FreeSlot(registration);
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
        // One reusable task per registration: a busy channel yields after every full batch.
        var task = registration.ReadYield ??= new YieldTask(registration, IoReadiness.Read);
        _nextTurn.Enqueue(readiness == IoReadiness.Read ? task : new YieldTask(registration, readiness));
        if (!InLoop) WakeIfSleeping();
    }

    /// <summary>Queues work to run on the loop thread. Never blocks.</summary>
    public void Execute(IRunnable task)
    {
        _tasks.Enqueue(task);
        if (!InLoop) WakeIfSleeping();
    }

    private void WakeIfSleeping()
    {
        if (Volatile.Read(ref _sleeping) == 1 && Interlocked.Exchange(ref _sleeping, 0) == 1) _poller.Wake();
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
            foreach (var r in _slots) r?.Socket.Dispose();
            Array.Clear(_slots);
        }

        _poller.Dispose();
    }

    private void Run()
    {
        var events = new PollerEvent[MaxEventsPerWait];
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            int count;
            try
            {
                count = _spinTicks > 0 ? SpinThenWait(events) : WaitOnce(events);
            }
            catch (ObjectDisposedException) when (token.IsCancellationRequested)
            {
                break;
            }

            for (var i = 0; i < count; i++) Dispatch(in events[i]);
            RunTasks();
        }
    }

    // Queued work, or a stop request (whose wake-up a non-blocking poll may already have consumed).
    private bool HasWork => !_tasks.IsEmpty || !_nextTurn.IsEmpty || _stop.IsCancellationRequested;

    // Blocks in the poller unless work is queued; producers wake it while _sleeping is set.
    private int WaitOnce(PollerEvent[] events)
    {
        Volatile.Write(ref _sleeping, 1);
        Interlocked.MemoryBarrier();
        var count = _poller.Wait(events, HasWork ? 0 : -1);
        Volatile.Write(ref _sleeping, 0);
        return count;
    }

    // Polls without blocking for a short while before blocking: waking a thread that sleeps in
    // the kernel (on a VM, a halted virtual CPU) costs tens of microseconds of latency; yielding
    // between polls leaves the CPU to any other runnable thread (handlers on a shared core).
    private int SpinThenWait(PollerEvent[] events)
    {
        var until = System.Diagnostics.Stopwatch.GetTimestamp() + _spinTicks;
        while (true)
        {
            if (HasWork) return _poller.Wait(events, 0);
            var count = _poller.Wait(events, 0);
            if (count > 0 || HasWork) return count;
            if (System.Diagnostics.Stopwatch.GetTimestamp() >= until) return WaitOnce(events);
            Thread.Yield();
        }
    }

    private void Dispatch(in PollerEvent e)
    {
        var slots = Volatile.Read(ref _slots);
        var slot = (int)(uint)e.Token;
        if ((uint)slot >= (uint)slots.Length) return;
        var registration = Volatile.Read(ref slots[slot]);
        if (registration is null || registration.Token != e.Token || registration.Unregistered) return;
        var deliver = registration.Signal(e.Readiness);
        if (deliver != IoReadiness.None) registration.Listener.OnReady(deliver);
    }

    private void RunTasks()
    {
        // Yields from the previous turn first; then everything queued, including what these tasks
        // queue (a handler's Write reaching its connection in the same turn), up to a budget so
        // I/O is polled again soon. Yields made now wait for the next turn.
        var deferred = _nextTurn.Count;
        for (var i = 0; i < deferred && _nextTurn.TryDequeue(out var yielded); i++) Run(yielded);
        for (var i = 0; i < MaxTasksPerTurn && _tasks.TryDequeue(out var task); i++) Run(task);
    }

    private void Run(IRunnable task)
    {
        try
        {
            task.Run();
        }
        catch (Exception ex)
        {
            // A task is a mailbox run or a readiness re-delivery; neither should throw, and one
            // that does must not take the loop (and every other connection on it) down.
            Console.Error.WriteLine($"[epsilon] event loop {Index}: task failed: {ex}");
        }
    }

    private void CompleteUnregister(LoopRegistration registration, bool abort)
    {
        lock (_registrationLock)
        {
            if (registration.Unregistered) return;
            registration.Unregistered = true;
        }

        FreeSlot(registration);

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

    private void FreeSlot(LoopRegistration registration)
    {
        lock (_registrationLock)
        {
            var slot = (int)(uint)registration.Token;
            if (ReferenceEquals(_slots[slot], registration))
            {
                Volatile.Write(ref _slots[slot], null);
                _freeSlots.Push(slot);
            }
        }
    }

    /// <summary>Re-delivers readiness to a registration on the loop's next turn.</summary>
    internal sealed class YieldTask(LoopRegistration registration, IoReadiness readiness) : IRunnable
    {
        /// <summary>Re-delivers the readiness unless the socket has been unregistered meanwhile.</summary>
        public void Run()
        {
            if (!registration.Unregistered) registration.Listener.OnReady(readiness);
        }

        /// <summary>The thread-pool work-item entry; same as <see cref="Run"/>.</summary>
        public void Execute() => Run();
    }

}
