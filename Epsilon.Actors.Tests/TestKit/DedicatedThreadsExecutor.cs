using System.Collections.Concurrent;
using Akka.Configuration;
using Akka.Dispatch;

namespace Epsilon.Actors.Tests.TestKit;

/// <summary>
/// An Akka executor of <c>thread-count</c> dedicated threads that all take work from one queue,
/// each woken as soon as work is queued: a pool for handlers that block. Akka's own
/// <c>ForkJoinDispatcher</c> is not one: it wakes at most one thread per processor for a burst of
/// work, so 64 blocking calls queued at once run a few at a time. Configure with
/// <c>executor = "Epsilon.Actors.Tests.TestKit.DedicatedThreadsExecutor, Epsilon.Actors.Tests"</c>
/// and <c>dedicated-threads.thread-count = N</c>.
/// </summary>
public sealed class DedicatedThreadsExecutor(Config config, IDispatcherPrerequisites prerequisites)
    : ExecutorServiceConfigurator(config, prerequisites)
{
    /// <inheritdoc />
    public override ExecutorService Produce(string id) => new Service(id, Config.GetInt("dedicated-threads.thread-count", 64));

    private sealed class Service : ExecutorService
    {
        private readonly BlockingCollection<IRunnable> _work = new(new ConcurrentQueue<IRunnable>());

        public Service(string id, int threads)
            : base(id)
        {
            for (var i = 0; i < threads; i++)
            {
                new Thread(Run) { IsBackground = true, Name = $"{id}-{i}" }.Start();
            }
        }

        public override void Execute(IRunnable run) => _work.Add(run);

        public override void Shutdown() => _work.CompleteAdding();

        private void Run()
        {
            foreach (var run in _work.GetConsumingEnumerable()) run.Run();
        }
    }
}
