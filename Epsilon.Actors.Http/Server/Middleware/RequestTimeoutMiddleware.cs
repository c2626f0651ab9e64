using Epsilon.Actors.Http.Model;

namespace Epsilon.Actors.Http.Server.Middleware;

/// <summary>
/// Answers 503 Service Unavailable when the inner handler has not produced a response within the
/// timeout, and cancels <see cref="HttpRequest.Aborted"/> for that handler so it can stop. The
/// timeout covers producing the response (status and headers), not streaming a body. A handler that
/// completes synchronously costs no timer. Other requests are unaffected. Thread-safe.
/// </summary>
public sealed class RequestTimeoutMiddleware : IHttpMiddleware
{
    private static readonly HttpResponse s_timedOut = HttpResponse.StatusText(StatusCode.ServiceUnavailable);

    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    /// <summary>A timeout of <paramref name="timeout"/> (positive), timed by <paramref name="time"/> (the system clock by default).</summary>
    public RequestTimeoutMiddleware(TimeSpan timeout, TimeProvider? time = null)
    {
        if (timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The request timeout must be positive.");
        _timeout = timeout;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The timeout.</summary>
    public TimeSpan Timeout => _timeout;

    /// <inheritdoc />
    public HttpHandler Wrap(HttpHandler next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return request =>
        {
            var handlerCts = CancellationTokenSource.CreateLinkedTokenSource(request.Aborted);
            ValueTask<HttpResponse> pending;
            try
            {
                pending = next(request.WithAborted(handlerCts.Token));
            }
            catch
            {
                handlerCts.Dispose();
                throw;
            }

            if (pending.IsCompleted)
            {
                handlerCts.Dispose();
                return pending;
            }

            return RaceAsync(pending.AsTask(), handlerCts);
        };
    }

    private async ValueTask<HttpResponse> RaceAsync(Task<HttpResponse> handler, CancellationTokenSource handlerCts)
    {
        using var delayCts = new CancellationTokenSource();
        var delay = Task.Delay(_timeout, _time, delayCts.Token);
        var first = await Task.WhenAny(handler, delay).ConfigureAwait(false);
        if (first == handler)
        {
            await delayCts.CancelAsync().ConfigureAwait(false);
            handlerCts.Dispose();
            return await handler.ConfigureAwait(false);
        }

        await handlerCts.CancelAsync().ConfigureAwait(false);
        // Observe the abandoned handler's outcome so a late fault is not unobserved; dispose then.
        _ = handler.ContinueWith(static (t, state) => { _ = t.Exception; ((IDisposable)state!).Dispose(); }, handlerCts, TaskScheduler.Default);
        return s_timedOut;
    }
}
