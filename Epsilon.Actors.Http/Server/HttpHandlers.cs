using Akka;
using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using Epsilon.Actors.Http.Model;

namespace Epsilon.Actors.Http.Server;

/// <summary>
/// Turns functions, actors and flows into <see cref="HttpHandler"/>s and back, and guards a handler so
/// that a failure answers only its own request: an exception becomes 500, a timeout
/// (<see cref="TimeoutException"/>, <see cref="AskTimeoutException"/>) becomes 503 and
/// <see cref="EntityTooLargeException"/> becomes 413.
/// </summary>
/// <remarks>
/// Logging, once per failure: a guard given a log makes it the ambient log of the guards it calls
/// (an <see cref="AsyncLocal{T}"/>, so it follows the handler's awaits), and a guard without one
/// logs to the ambient log. The innermost guard that sees a failure logs it and answers; the
/// guards around it see a response. So a throwing route of <see cref="Routing.HttpRoutes"/>
/// (guarded per route, without a log of its own) is logged once, by the server's log, exactly as
/// a throwing plain handler is.
/// </remarks>
public static class HttpHandlers
{
    private static readonly AsyncLocal<ILoggingAdapter?> s_ambientLog = new();

    /// <summary>A handler from a synchronous function.</summary>
    public static HttpHandler From(Func<HttpRequest, HttpResponse> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return request => new ValueTask<HttpResponse>(handler(request));
    }

    /// <summary>A handler from a <see cref="Task{TResult}"/>-returning function.</summary>
    public static HttpHandler From(Func<HttpRequest, Task<HttpResponse>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return request => new ValueTask<HttpResponse>(handler(request));
    }

    /// <summary>
    /// A handler that asks <paramref name="actor"/> with the request and expects an
    /// <see cref="HttpResponse"/> back within <paramref name="timeout"/>. No reply in time gives 503
    /// (once guarded); a <see cref="Status.Failure"/> or any other reply gives 500.
    /// </summary>
    public static HttpHandler FromActor(IActorRef actor, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The ask timeout must be positive.");
        return request => new ValueTask<HttpResponse>(actor.Ask<HttpResponse>(request, timeout, request.Aborted));
    }

    /// <summary>
    /// A handler that runs <paramref name="flow"/> once per request (one materialization each) and
    /// returns its first response. Costly per request: prefer binding the flow itself, which
    /// the server runs once per connection; this exists to put a flow behind a route.
    /// </summary>
    public static HttpHandler FromFlow(Flow<HttpRequest, HttpResponse, NotUsed> flow, IMaterializer materializer)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(materializer);
        return request => new ValueTask<HttpResponse>(
            Source.Single(request).Via(flow).RunWith(Sink.First<HttpResponse>(), materializer));
    }

    /// <summary>
    /// A flow that answers requests in order with <paramref name="handler"/>, guarded, with up to
    /// <paramref name="parallelism"/> requests in progress at once (1 for HTTP/1.1 without
    /// pipelining). Responses come out in request order and the flow never fails because a handler did.
    /// </summary>
    public static Flow<HttpRequest, HttpResponse, NotUsed> ToFlow(HttpHandler handler, int parallelism = 1, ILoggingAdapter? log = null)
    {
        var guarded = Guard(handler, log);
        return Flow.Create<HttpRequest>().SelectAsync(parallelism, request => guarded(request).AsTask());
    }

    /// <summary>
    /// Wraps <paramref name="handler"/> so that it never throws nor faults: synchronous throws and
    /// faulted tasks become 500, timeouts 503, <see cref="EntityTooLargeException"/> 413, a null
    /// response 500. Each failure is logged once, at warning with the request's method, path and
    /// the exception, to <paramref name="log"/> or, when it is null, to the log of the guard this
    /// one runs inside (the server's, for handlers it calls); with neither, it is not logged. A
    /// request body that turned out malformed while the handler read it is the client's fault:
    /// answered with the connection's status (400, 413) and logged at debug.
    /// </summary>
    public static HttpHandler Guard(HttpHandler handler, ILoggingAdapter? log = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return request =>
        {
            if (log is not null && !ReferenceEquals(s_ambientLog.Value, log))
            {
                // Not restored on return, on purpose: a restore would change the execution context
                // twice per request (two allocations); the value only ever names a server's log, and
                // every logging guard sets its own before calling in.
                s_ambientLog.Value = log;
            }

            var effectiveLog = log ?? s_ambientLog.Value;
            ValueTask<HttpResponse> pending;
            try
            {
                pending = handler(request);
            }
            catch (Exception e)
            {
                return new ValueTask<HttpResponse>(Failed(request, e, effectiveLog));
            }

            if (pending.IsCompletedSuccessfully)
            {
                var response = pending.Result;
                return new ValueTask<HttpResponse>(response ?? Failed(request, new InvalidOperationException("The handler returned null."), effectiveLog));
            }

            return AwaitGuarded(request, pending, effectiveLog);
        };
    }

    /// <summary>
    /// <paramref name="handler"/> wrapped in <paramref name="middleware"/>, the first listed outermost:
    /// <c>HttpHandlers.Wrap(h, new RequestIdMiddleware(), new CompressionMiddleware())</c>.
    /// </summary>
    public static HttpHandler Wrap(HttpHandler handler, params IHttpMiddleware[] middleware)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(middleware);
        for (var i = middleware.Length - 1; i >= 0; i--) handler = middleware[i].Wrap(handler);
        return handler;
    }

    /// <summary>The response that stands for <paramref name="error"/>: 413, 503 or 500 (or the status of a malformed request body: 400, 413).</summary>
    public static HttpResponse ResponseFor(Exception error) => Unwrap(error) switch
    {
        IRequestRejection rejection => HttpResponse.StatusText(new StatusCode(rejection.StatusCode)),
        EntityTooLargeException => HttpResponse.StatusText(StatusCode.ContentTooLarge),
        TimeoutException or AskTimeoutException or OperationCanceledException => HttpResponse.StatusText(StatusCode.ServiceUnavailable),
        _ => HttpResponse.StatusText(StatusCode.InternalServerError),
    };

    private static async ValueTask<HttpResponse> AwaitGuarded(HttpRequest request, ValueTask<HttpResponse> pending, ILoggingAdapter? log)
    {
        try
        {
            return await pending.ConfigureAwait(false) ?? Failed(request, new InvalidOperationException("The handler returned null."), log);
        }
        catch (Exception e)
        {
            return Failed(request, e, log);
        }
    }

    private static HttpResponse Failed(HttpRequest request, Exception error, ILoggingAdapter? log)
    {
        var response = ResponseFor(error);
        if (log is null) return response;
        if (Unwrap(error) is IRequestRejection)
        {
            // Bad input, not a handler fault: debug, as every rejection (docs/http.md).
            log.Debug("{0} {1}: the request body was rejected while the handler read it ({2}); answered {3}",
                request.Method.Name, request.Path, Unwrap(error).Message, response.StatusCode.Code);
        }
        else
        {
            log.Warning(error, "{0} {1} failed; answered {2}", request.Method.Name, request.Path, response.StatusCode.Code);
        }

        return response;
    }

    private static Exception Unwrap(Exception error) =>
        error is AggregateException { InnerExceptions.Count: 1 } aggregate ? Unwrap(aggregate.InnerExceptions[0]) : error;
}
