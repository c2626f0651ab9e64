using Akka.Event;
using Epsilon.Actors.Http.Model;

namespace Epsilon.Actors.Http.Server.Middleware;

/// <summary>
/// Logs one line per request when its response is ready: request id (if any), method, target,
/// status and the handler's time, e.g. <c>[a1b2] GET /api/x -> 200 in 1.3 ms</c>. Logs at Info,
/// or at Warning for 5xx. Time is measured with the given <see cref="TimeProvider"/>. Thread-safe.
/// Put it after <see cref="RequestIdMiddleware"/> to log the id.
/// </summary>
public sealed class RequestLoggingMiddleware : IHttpMiddleware
{
    private readonly ILoggingAdapter _log;
    private readonly TimeProvider _time;

    /// <summary>Logs to <paramref name="log"/>; times with <paramref name="time"/> (system clock by default).</summary>
    public RequestLoggingMiddleware(ILoggingAdapter log, TimeProvider? time = null)
    {
        _log = log ?? throw new ArgumentNullException(nameof(log));
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public HttpHandler Wrap(HttpHandler next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return request =>
        {
            var started = _time.GetTimestamp();
            var pending = next(request);
            if (pending.IsCompletedSuccessfully)
            {
                Write(request, pending.Result, started);
                return pending;
            }

            return LogAsync(request, pending, started);
        };
    }

    private async ValueTask<HttpResponse> LogAsync(HttpRequest request, ValueTask<HttpResponse> pending, long started)
    {
        var response = await pending.ConfigureAwait(false);
        Write(request, response, started);
        return response;
    }

    private void Write(HttpRequest request, HttpResponse response, long started)
    {
        var level = response.StatusCode.Code >= 500 ? LogLevel.WarningLevel : LogLevel.InfoLevel;
        if (!_log.IsEnabled(level)) return;
        var elapsed = _time.GetElapsedTime(started).TotalMilliseconds;
        var id = request.Headers.Get(KnownHeader.XRequestId);
        _log.Log(level, "[{0}] {1} {2} -> {3} in {4:F1} ms", [id ?? "-", request.Method.Name, request.Target, response.StatusCode.Code, elapsed]);
    }
}
