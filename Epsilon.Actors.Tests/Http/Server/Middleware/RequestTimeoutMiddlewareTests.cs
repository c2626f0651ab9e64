using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server;
using Epsilon.Actors.Http.Server.Middleware;
using Xunit;
using HttpMethod = Epsilon.Actors.Http.Model.HttpMethod;

namespace Epsilon.Actors.Tests.Http.Server.Middleware;

[Trait("Category", "Unit")]
public sealed class RequestTimeoutMiddlewareTests
{
    private static readonly HttpRequest s_request = new(HttpMethod.Get, "/");

    [Fact]
    public async Task A_handler_that_never_answers_gets_503_and_its_token_cancelled()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        HttpHandler hang = async req =>
        {
            req.Aborted.Register(() => cancelled.TrySetResult());
            await Task.Delay(Timeout.Infinite, CancellationToken.None);
            return HttpResponse.Text("never");
        };
        var handler = new RequestTimeoutMiddleware(TimeSpan.FromMilliseconds(100)).Wrap(hang);
        var response = await handler(s_request).AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(503, response.StatusCode.Code);
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_handler_that_answers_in_time_is_passed_through()
    {
        HttpHandler quick = async _ =>
        {
            await Task.Yield();
            return HttpResponse.Text("fast");
        };
        var handler = new RequestTimeoutMiddleware(TimeSpan.FromSeconds(30)).Wrap(quick);
        var response = await handler(s_request);
        Assert.Equal("fast", ((HttpEntity.Strict)response.Entity).ToText());
    }

    [Fact]
    public async Task A_synchronous_handler_is_returned_as_is()
    {
        var cached = HttpResponse.Text("sync");
        var handler = new RequestTimeoutMiddleware(TimeSpan.FromSeconds(1)).Wrap(_ => new ValueTask<HttpResponse>(cached));
        Assert.Same(cached, await handler(s_request));
    }

    [Fact]
    public async Task A_timeout_affects_only_its_own_request()
    {
        HttpHandler mixed = async req =>
        {
            if (req.Path == "/slow") await Task.Delay(Timeout.Infinite, req.Aborted);
            await Task.Yield();
            return HttpResponse.Text("ok");
        };
        var handler = HttpHandlers.Guard(new RequestTimeoutMiddleware(TimeSpan.FromMilliseconds(200)).Wrap(mixed));
        var slow = handler(new HttpRequest(HttpMethod.Get, "/slow")).AsTask();
        var fast = await handler(new HttpRequest(HttpMethod.Get, "/fast"));
        Assert.Equal(200, fast.StatusCode.Code);
        Assert.Equal(503, (await slow.WaitAsync(TimeSpan.FromSeconds(20))).StatusCode.Code);
    }

    [Fact]
    public void Rejects_a_non_positive_timeout() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RequestTimeoutMiddleware(TimeSpan.Zero));
}
