using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server.Routing;
using Epsilon.Actors.Tests.TestKit;
using Xunit;
using HttpMethod = Epsilon.Actors.Http.Model.HttpMethod;
using NetHttpMethod = System.Net.Http.HttpMethod;

namespace Epsilon.Actors.Tests.Http.Server;

/// <summary>The server over real loopback sockets, answered to .NET's HttpClient.</summary>
[Trait("Category", "Loopback")]
public sealed class HttpServerTests
{
    private static readonly HttpResponse s_hello = HttpResponse.Text("Hello, World!");

    private static HttpRoutes Routes() => new HttpRoutes()
        .Get("/", _ => s_hello)
        .Get("/items/{id}", req => HttpResponse.Text($"item {req.Param("id")}"))
        .Post("/echo", async req =>
        {
            var body = await req.Entity.ToStrictAsync(1024 * 1024, TimeSpan.FromSeconds(10), null!);
            return HttpResponse.Bytes(body.Data, body.ContentType);
        });

    [Fact]
    public async Task Answers_GET_POST_HEAD_OPTIONS_404_and_405()
    {
        await using var server = await LoopbackHttpServer.StartAsync(Routes());
        using var client = server.CreateClient();

        var get = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("Hello, World!", await get.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", get.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(get.Headers.Date);

        Assert.Equal("item 42", await client.GetStringAsync("/items/42"));

        var post = await client.PostAsync("/echo", new StringContent("ping from the client", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal("ping from the client", await post.Content.ReadAsStringAsync());

        var head = await client.SendAsync(new HttpRequestMessage(NetHttpMethod.Head, "/"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(13, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());

        var options = await client.SendAsync(new HttpRequestMessage(NetHttpMethod.Options, "/items/1"));
        Assert.Equal(HttpStatusCode.NoContent, options.StatusCode);
        Assert.Contains("GET", options.Content.Headers.Allow);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/nowhere")).StatusCode);
        var wrongMethod = await client.DeleteAsync("/");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Contains("GET", wrongMethod.Content.Headers.Allow);

        // Everything above went over one kept-alive connection.
        Assert.Equal(1, server.Binding.ConnectionsAccepted);
    }

    [Theory]
    [InlineData("epoll")]
    [InlineData("portable")]
    public async Task Reuses_one_connection_for_many_requests(string backend)
    {
        await using var server = await LoopbackHttpServer.StartAsync(Routes(), backend: backend);
        using var client = server.CreateClient();
        for (var i = 0; i < 200; i++)
            Assert.Equal($"item {i}", await client.GetStringAsync($"/items/{i}"));
        Assert.Equal(1, server.Binding.ConnectionsAccepted);
    }

    [Fact]
    public async Task Bind_fails_with_the_socket_error_when_the_port_is_taken()
    {
        await using var server = await LoopbackHttpServer.StartAsync(Routes());
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            Epsilon.Actors.Http.EpsilonHttpExtensions.Http(server.System).NewServerAt("127.0.0.1", server.Port).Bind(Routes()));
        var socketError = error as System.Net.Sockets.SocketException ?? error.InnerException as System.Net.Sockets.SocketException;
        Assert.Equal(System.Net.Sockets.SocketError.AddressAlreadyInUse, socketError?.SocketErrorCode);
    }

    [Fact]
    public async Task An_exception_in_the_handler_answers_500_for_that_request_only()
    {
        var routes = new HttpRoutes()
            .Get("/boom", HttpResponse (_) => throw new InvalidOperationException("handler bug"))
            .Get("/fine", _ => s_hello);
        await using var server = await LoopbackHttpServer.StartAsync(routes);
        using var client = server.CreateClient();
        Assert.Equal(HttpStatusCode.InternalServerError, (await client.GetAsync("/boom")).StatusCode);
        Assert.Equal("Hello, World!", await client.GetStringAsync("/fine"));
        Assert.Equal(1, server.Binding.ConnectionsAccepted);
    }

    [Fact]
    public async Task Sends_Connection_close_and_closes_when_the_client_asks()
    {
        await using var server = await LoopbackHttpServer.StartAsync(Routes());
        using var client = server.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            var request = new HttpRequestMessage(NetHttpMethod.Get, "/");
            request.Headers.ConnectionClose = true;
            var response = await client.SendAsync(request);
            Assert.True(response.Headers.ConnectionClose);
            Assert.Equal("Hello, World!", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(3, server.Binding.ConnectionsAccepted);
    }
}
