using Akka.Event;
using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server;
using Epsilon.Actors.Http.Server.Middleware;
using Xunit;
using HttpMethod = Epsilon.Actors.Http.Model.HttpMethod;

namespace Epsilon.Actors.Tests.Http.Server.Middleware;

[Trait("Category", "Unit")]
public sealed class RequestLoggingMiddlewareTests : Akka.TestKit.Xunit2.TestKit
{
    public RequestLoggingMiddlewareTests()
        : base("akka.loglevel = INFO\nakka.loggers = [\"Akka.TestKit.TestEventListener, Akka.TestKit\"]")
    {
    }

    [Fact]
    public async Task Logs_one_info_line_with_id_method_target_and_status()
    {
        var log = Logging.GetLogger(Sys, "http");
        var handler = HttpHandlers.Wrap(
            _ => new ValueTask<HttpResponse>(HttpResponse.Status(204)),
            new RequestIdMiddleware(),
            new RequestLoggingMiddleware(log));
        var request = new HttpRequest(HttpMethod.Delete, "/items/7?force=1", HttpHeaders.Of(("X-Request-Id", "req-42")));
        await EventFilter.Info(contains: "[req-42] DELETE /items/7?force=1 -> 204 in").ExpectOneAsync(async () => await handler(request));
    }

    [Fact]
    public async Task Logs_server_errors_at_warning_after_an_asynchronous_handler()
    {
        var log = Logging.GetLogger(Sys, "http");
        var handler = new RequestLoggingMiddleware(log).Wrap(async _ =>
        {
            await Task.Yield();
            return HttpResponse.StatusText(503);
        });
        await EventFilter.Warning(contains: "GET /busy -> 503").ExpectOneAsync(async () => await handler(new HttpRequest(HttpMethod.Get, "/busy")));
    }
}
