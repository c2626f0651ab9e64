using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server;
using Epsilon.Actors.Tests.TestKit;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Http1.Parsing;

/// <summary>
/// Regression (issue 10): chunk-size lines with whitespace the grammar does not allow reached the
/// handler and were answered 200. Over a raw loopback socket, exact bytes.
/// </summary>
[Trait("Category", "Loopback")]
public sealed class ChunkedBodyDecoderLoopbackTests
{
    private static async Task<LoopbackHttpServer> StartEcho()
    {
        LoopbackHttpServer? server = null;
        HttpHandler echo = async request =>
        {
            var body = await request.Entity.ToStrictAsync(1 << 20, TimeSpan.FromSeconds(20), server!.Materializer);
            return HttpResponse.Bytes(body.Data, body.ContentType);
        };
        server = await LoopbackHttpServer.StartAsync(echo);
        return server;
    }

    [Theory]
    [InlineData("5 \r\nhello\r\n0\r\n\r\n")]
    [InlineData("5\t\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5\r\nhello\r\n0 \r\n\r\n")]
    [InlineData("5;a=b \r\nhello\r\n0\r\n\r\n")]
    public async Task Answers_400_and_closes_for_whitespace_after_a_chunk_size_or_extension(string body)
    {
        await using var server = await StartEcho();
        using var connection = new RawHttpConnection(server.Port);
        connection.Send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + body);
        var response = connection.ReadResponse();
        Assert.Equal(400, response.Status);
        Assert.Equal("close", response.Header("connection"));
        Assert.True(connection.IsClosedByServer());
    }

    [Theory]
    [InlineData("5 ;a=b\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5;a=b\r\nhello\r\n0\r\n\r\n")]
    public async Task Serves_a_chunk_size_with_BWS_before_its_extension(string body)
    {
        await using var server = await StartEcho();
        using var connection = new RawHttpConnection(server.Port);
        connection.Send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + body);
        var response = connection.ReadResponse();
        Assert.Equal(200, response.Status);
        Assert.Equal("hello", response.BodyText);
    }
}
