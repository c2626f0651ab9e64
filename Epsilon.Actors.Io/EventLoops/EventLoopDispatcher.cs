using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;

namespace Epsilon.Actors.Io.EventLoops;

/// <summary>
/// Makes each event loop an Akka dispatcher, so that the selector actor and the connection
/// actors of a loop run on the loop's own thread: a readiness event reaches the connection actor
/// with no thread-pool hop, and a read buffer can be shared by every connection of the loop.
/// </summary>
/// <remarks>
/// Actors placed here must never block: they only make non-blocking socket calls and send
/// messages. User handler actors stay on their own dispatchers.
/// </remarks>
internal static class EventLoopDispatcher
{
    /// <summary>The dispatcher id of loop <paramref name="index"/> in group <paramref name="groupName"/>.</summary>
    public static string IdFor(string groupName, int index) => $"epsilon.io.loops.{groupName}-{index}";

    /// <summary>Registers a dispatcher for <paramref name="loop"/> and returns its id.</summary>
    public static string Register(ActorSystem system, string groupName, EventLoop loop, int throughput)
    {
        var id = IdFor(groupName, loop.Index);
        var config = ConfigurationFactory.ParseString($"id = \"{id}\"\nthroughput = {throughput}")
            .WithFallback(system.Dispatchers.DefaultDispatcherConfig);
        system.Dispatchers.RegisterConfigurator(id, new Configurator(config, system.Dispatchers.Prerequisites, id, loop, throughput));
        return id;
    }

    private sealed class Configurator : MessageDispatcherConfigurator
    {
        private readonly Dispatcher _dispatcher;

        public Configurator(Config config, IDispatcherPrerequisites prerequisites, string id, EventLoop loop, int throughput)
            : base(config, prerequisites)
        {
            _dispatcher = new Dispatcher(this, id, throughput, null, new ExecutorFactory(loop), TimeSpan.FromSeconds(1));
        }

        public override MessageDispatcher Dispatcher() => _dispatcher;
    }

    private sealed class ExecutorFactory(EventLoop loop) : ExecutorServiceFactory
    {
        public override ExecutorService Produce(string id) => new LoopExecutor(id, loop);
    }

    // The loop outlives the dispatcher's idea of an executor: Akka shuts executors down when a
    // dispatcher has no actors left and produces a new one later, so Shutdown does nothing here;
    // the loop itself is stopped with the actor system.
    private sealed class LoopExecutor(string id, EventLoop loop) : ExecutorService(id)
    {
        public override void Execute(IRunnable run) => loop.Execute(run);

        public override void Shutdown()
        {
        }
    }
}
