using Akka;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using Epsilon.Actors.Http.Model;

namespace Epsilon.Actors.Http.Server;

/// <summary>
/// Runs a user's <c>Flow&lt;HttpRequest, HttpResponse&gt;</c> once per connection behind the
/// stage's one-request-at-a-time handler call: each request is offered to the flow, and the next
/// element it emits is that request's response. A flow that fails, completes or drops a request
/// fails the handler's task, which fails the connection (<see cref="ServerHandler.FailureFailsConnection"/>);
/// the failure is logged once, at warning, with the request it was answering.
/// </summary>
internal static class FlowHandlerAdapter
{
    /// <summary>Materializes <paramref name="flow"/> for one connection; the queue is completed when the connection ends.</summary>
    public static ServerHandler Create(Flow<HttpRequest, HttpResponse, NotUsed> flow, IMaterializer materializer, ILoggingAdapter log)
    {
        var (requests, responses) = Source.Queue<HttpRequest>(1, OverflowStrategy.Backpressure)
            .Via(flow)
            .ToMaterialized(Sink.Queue<HttpResponse>(), Keep.Both)
            .Run(materializer);

        async ValueTask<HttpResponse> Handle(HttpRequest request)
        {
            try
            {
                var offered = await requests.OfferAsync(request).ConfigureAwait(false);
                if (offered is not QueueOfferResult.Enqueued) throw new InvalidOperationException($"The connection's flow no longer takes requests ({offered}).");
                var next = await responses.PullAsync().ConfigureAwait(false);
                return next.HasValue ? next.Value : throw new InvalidOperationException("The connection's flow completed without answering a request.");
            }
            catch (Exception e)
            {
                log.Warning(e, "{0} {1} failed in the connection's flow; closing the connection", request.Method.Name, request.Path);
                throw;
            }
        }

        return new ServerHandler(Handle, FailureFailsConnection: true, OnConnectionClosed: requests.Complete);
    }
}
