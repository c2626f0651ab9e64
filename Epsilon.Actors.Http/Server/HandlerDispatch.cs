using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Epsilon.Actors.Http.Model;

namespace Epsilon.Actors.Http.Server;

/// <summary>
/// Where an <see cref="HttpHandler"/> is called (<c>epsilon.http.server.handler-dispatcher</c>).
/// A connection's stages run on its event loop; calling a user's handler there would let a
/// handler that blocks stall every connection of that loop, so by default each call is handed
/// to Akka's default dispatcher, and the answer comes back to the stage by its async callback.
/// <c>"loop"</c> calls inline (the no-hop opt-in); any other value names a dispatcher.
/// </summary>
/// <remarks>
/// Cost per request on a dispatcher: one object that is both the runnable and the task's source
/// (<see cref="Call"/>), plus its task; nothing else unless the handler itself is asynchronous.
/// </remarks>
internal static class HandlerDispatch
{
    /// <summary>The setting value that calls handlers inline on the loop thread.</summary>
    public const string Loop = "loop";

    /// <summary>
    /// <paramref name="handler"/> as called on the dispatcher named by <paramref name="dispatcherId"/>
    /// (<c>""</c>: Akka's default; <see cref="Loop"/>: <paramref name="handler"/> itself, inline).
    /// </summary>
    /// <exception cref="ArgumentException">No dispatcher <paramref name="dispatcherId"/> is configured; the message names the setting.</exception>
    public static HttpHandler On(ActorSystem system, string dispatcherId, HttpHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (dispatcherId == Loop) return handler;
        return new Dispatched(handler, Lookup(system, dispatcherId)).Invoke;
    }

    private static MessageDispatcher Lookup(ActorSystem system, string dispatcherId)
    {
        if (dispatcherId.Length == 0) return system.Dispatchers.DefaultGlobalDispatcher;
        try
        {
            return system.Dispatchers.Lookup(dispatcherId);
        }
        catch (ConfigurationException e)
        {
            throw new ArgumentException(
                $"epsilon.http.server.handler-dispatcher = \"{dispatcherId}\": no such dispatcher is configured in actor system {system.Name} ({e.Message}). Use \"\" for Akka's default dispatcher, \"loop\" for the connection's loop, or the id of a dispatcher in the configuration.",
                nameof(dispatcherId), e);
        }
    }

    private sealed class Dispatched(HttpHandler handler, MessageDispatcher dispatcher)
    {
        public ValueTask<HttpResponse> Invoke(HttpRequest request)
        {
            var call = new Call(handler, request);
            dispatcher.Schedule(call);
            return new ValueTask<HttpResponse>(call.Task);
        }
    }

    // The task's continuation (the stage's async callback) runs synchronously on the thread that
    // completes it, which only enqueues to the stage: no further hop.
    private sealed class Call(HttpHandler handler, HttpRequest request) : TaskCompletionSource<HttpResponse>, IRunnable
    {
        private static readonly Action<Task<HttpResponse>, object?> s_completed = static (task, state) => ((Call)state!).Complete(task);

        public void Run()
        {
            ValueTask<HttpResponse> pending;
            try
            {
                pending = handler(request);
            }
            catch (Exception e)
            {
                TrySetException(e);
                return;
            }

            if (pending.IsCompletedSuccessfully) TrySetResult(pending.Result);
            else pending.AsTask().ContinueWith(s_completed, this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        public void Execute() => Run();

        private void Complete(Task<HttpResponse> task)
        {
            if (task.IsCompletedSuccessfully) TrySetResult(task.Result);
            else if (task.IsCanceled) TrySetCanceled();
            else TrySetException(task.Exception!.InnerExceptions);
        }
    }
}
