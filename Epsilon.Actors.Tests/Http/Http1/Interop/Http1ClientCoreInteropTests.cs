using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Epsilon.Actors.Http.Http1.Parsing;
using Epsilon.Actors.Http.Http1.Rendering;
using Epsilon.Actors.Tests.Http.Http1.Parsing;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Http1.Interop;

/// <summary>
/// The client half of the core (<see cref="Http1RequestWriter"/>, <see cref="ChunkedBodyEncoder"/>,
/// <see cref="Http1ResponseParser"/>) over a raw loopback socket against .NET's own HTTP server
/// (System.Net.HttpListener, an independent implementation).
/// </summary>
[Trait("Category", "Loopback")]
public sealed class Http1ClientCoreInteropTests : IDisposable
{
    private readonly HttpListener _listener;
    private readonly int _port;
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(60));

    public Http1ClientCoreInteropTests()
    {
        (_listener, _port) = StartListener();
        _ = Task.Run(ServeAsync);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        _stop.Dispose();
    }

    [Fact]
    public async Task Two_GETs_on_one_kept_alive_connection_get_two_parsed_responses()
    {
        var requests = new[] { "/a", "/b?x=1" }.Select(path =>
        {
            var output = new ArrayBufferWriter<byte>();
            Http1RequestWriter.WriteRequestLine(output, "GET"u8, Encoding.ASCII.GetBytes(path));
            Http1RequestWriter.WriteField(output, "Host", $"127.0.0.1:{_port}");
            Http1RequestWriter.EndHead(output);
            return output.WrittenMemory;
        }).ToArray();

        var responses = await ExchangeAsync(Http1Method.Get, requests);
        Assert.Equal(["GET /a  0 ", "GET /b?x=1  0 "], responses.Select(r => r.BodyText));
        Assert.All(responses, r => Assert.Equal(200, r.StatusCode));
    }

    [Fact]
    public async Task A_chunked_upload_with_trailers_is_read_by_the_server_and_its_chunked_answer_parsed()
    {
        var output = new ArrayBufferWriter<byte>();
        Http1RequestWriter.WriteRequestLine(output, "POST"u8, "/up"u8);
        Http1RequestWriter.WriteField(output, "Host", $"127.0.0.1:{_port}");
        Http1RequestWriter.WriteFraming(output, Http1BodyFraming.Chunked, -1);
        Http1RequestWriter.EndHead(output);
        ChunkedBodyEncoder.WriteChunk(output, "hello "u8);
        ChunkedBodyEncoder.WriteChunk(output, "listener"u8);
        ChunkedBodyEncoder.BeginTrailers(output);
        ChunkedBodyEncoder.WriteTrailer(output, "X-Checksum", "42");
        ChunkedBodyEncoder.EndTrailers(output);

        var response = Assert.Single(await ExchangeAsync(Http1Method.Post, output.WrittenMemory));
        Assert.Equal(Http1BodyFraming.Chunked, response.Head!.Value.Framing);
        Assert.Equal("POST /up chunked 14 hello listener", response.BodyText);
    }

    [Fact]
    public async Task A_HEAD_response_is_parsed_without_a_body_and_the_next_response_follows()
    {
        var output = new ArrayBufferWriter<byte>();
        Http1RequestWriter.WriteRequestLine(output, "HEAD"u8, "/h"u8);
        Http1RequestWriter.WriteField(output, "Host", $"127.0.0.1:{_port}");
        Http1RequestWriter.EndHead(output);
        var head = Assert.Single(await ExchangeAsync(Http1Method.Head, output.WrittenMemory));
        Assert.Equal(Http1BodyFraming.None, head.Head!.Value.Framing);
        Assert.Contains(head.Headers, h => h.Name == "Content-Length");
        Assert.True(head.Complete);
    }

    /// <summary>Sends each request on one connection once the previous response is parsed (the listener does not pipeline).</summary>
    private async Task<List<RecordedResponse>> ExchangeAsync(Http1Method method, params ReadOnlyMemory<byte>[] requests)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _port), _stop.Token);
        using var recorder = new ResponseRecorder(method);
        var buffer = new byte[64 * 1024];
        var filled = 0;
        var sent = 0;
        while (recorder.Responses.Count(r => r.Complete) < requests.Length)
        {
            if (sent == recorder.Responses.Count(r => r.Complete)) await socket.SendAsync(requests[sent++], SocketFlags.None, _stop.Token);
            var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, _stop.Token);
            Assert.True(read > 0, "server closed early");
            filled += read;
            var consumed = (int)recorder.Feed(new ReadOnlySequence<byte>(buffer, 0, filled));
            Assert.Null(recorder.Rejection);
            Buffer.BlockCopy(buffer, consumed, buffer, 0, filled - consumed);
            filled -= consumed;
        }

        return recorder.Responses;
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.ASCII);
            var body = await reader.ReadToEndAsync();
            var request = context.Request;
            var text = $"{request.HttpMethod} {request.RawUrl} {request.Headers["Transfer-Encoding"]} {body.Length} {body}";
            var bytes = Encoding.ASCII.GetBytes(text);
            context.Response.SendChunked = request.HttpMethod == "POST";
            if (!context.Response.SendChunked) context.Response.ContentLength64 = bytes.Length;
            if (request.HttpMethod != "HEAD") await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private static (HttpListener, int) StartListener()
    {
        for (var attempt = 0; ; attempt++)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return (listener, port);
            }
            catch (HttpListenerException) when (attempt < 10)
            {
                listener.Close();
            }
        }
    }
}
