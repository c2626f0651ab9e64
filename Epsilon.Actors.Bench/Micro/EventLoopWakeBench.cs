using Akka.Dispatch;
using BenchmarkDotNet.Attributes;
using Epsilon.Actors.Io.EventLoops;
using Epsilon.Actors.Io.EventLoops.Epoll;
using Epsilon.Actors.Io.EventLoops.Portable;

namespace Epsilon.Actors.Bench.Micro;

/// <summary>
/// <see cref="EventLoop.Execute"/> from a foreign thread: how long until the task has run on the
/// loop thread. <see cref="WakeRoundTrip"/> posts one task to an idle loop (enqueue, the poller's
/// wake-up, the loop's return from its wait, the task run, the caller seeing it);
/// <see cref="QueueBatch"/> posts 64 at once, so all but the first find the loop awake or
/// already woken and the per-task figure is the queue's cost.
/// </summary>
[BenchmarkCategory("EventLoop")]
public class EventLoopWakeBench
{
    private const int Batch = 64;

    private EventLoop _loop = null!;
    private readonly CountingTask _task = new();

    /// <summary>The backend whose poller the loop runs.</summary>
    [Params("epoll", "portable")]
    public string Backend { get; set; } = "epoll";

    [GlobalSetup]
    public void Setup()
    {
        IoBackend backend = Backend == "epoll" ? new EpollBackend(edgeTriggered: true) : new PortableBackend();
        _loop = new EventLoop(backend.CreatePoller(), 0, "bench-wake");

        // Prove the task runs on the loop before timing it.
        WakeRoundTrip();
        if (!_task.RanInLoop) throw new InvalidOperationException("the task did not run on the loop thread");
    }

    [GlobalCleanup]
    public void Cleanup() => _loop.Dispose();

    [Benchmark(Description = "Execute → run on loop (1 task, idle loop)")]
    public void WakeRoundTrip()
    {
        var target = Volatile.Read(ref _task.Count) + 1;
        _loop.Execute(_task);
        BenchWait.Until(ref _task.Count, target);
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "Execute ×64 → all run (per task)")]
    public void QueueBatch()
    {
        var target = Volatile.Read(ref _task.Count) + Batch;
        for (var i = 0; i < Batch; i++) _loop.Execute(_task);
        BenchWait.Until(ref _task.Count, target);
    }

    private sealed class CountingTask : IRunnable
    {
        public long Count;

        public Thread? LastThread;

        public bool RanInLoop => LastThread?.Name?.StartsWith("bench-wake", StringComparison.Ordinal) == true;

        public void Run()
        {
            LastThread = Thread.CurrentThread;
            Volatile.Write(ref Count, Count + 1);
        }

        public void Execute() => Run();
    }
}
