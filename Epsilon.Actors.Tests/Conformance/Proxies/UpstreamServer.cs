using System.Net;
using Akka.Actor;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Epsilon.Actors.Tests.Conformance.Proxies;

/// <summary>DEV ONLY: Kestrel adapter validating the harness until Epsilon's server serves.</summary>
internal sealed class UpstreamServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private UpstreamServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public static async Task<UpstreamServer> StartAsync(ActorSystem system, HttpHandler handler)
    {
        var mat = system.Materializer();
        var port = Epsilon.Actors.Tests.TestKit.ExternalServerProcess.FreeLoopbackPort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(o => { o.Listen(IPAddress.Loopback, port); o.AllowSynchronousIO = true; });
        var app = builder.Build();
        app.Run(async ctx =>
        {
            var headers = Epsilon.Actors.Http.Model.HttpHeaders.CreateBuilder();
            foreach (var h in ctx.Request.Headers) headers.Add(h.Key, h.Value.ToString());
            var body = ctx.Request.Body;
            HttpEntity entity = ctx.Request.ContentLength == 0 || (ctx.Request.ContentLength is null && !ctx.Request.Headers.ContainsKey("Transfer-Encoding"))
                ? HttpEntity.Empty
                : new HttpEntity.Streamed(null, ctx.Request.ContentLength, StreamConverters.FromInputStream(() => body).MapMaterializedValue(_ => Akka.NotUsed.Instance));
            var request = new Epsilon.Actors.Http.Model.HttpRequest(Epsilon.Actors.Http.Model.HttpMethod.FromName(ctx.Request.Method), ctx.Request.Path + ctx.Request.QueryString, headers.Build(), entity,
                Epsilon.Actors.Http.Model.HttpProtocol.Http11, new IPEndPoint(ctx.Connection.RemoteIpAddress!, ctx.Connection.RemotePort), ctx.RequestAborted);
            var response = await handler(request);
            ctx.Response.StatusCode = response.StatusCode.Code;
            if (response.Entity.ContentType is { } ct) ctx.Response.ContentType = ct.Value;
            if (response.Entity.ContentLength is { } n) ctx.Response.ContentLength = n;
            var output = ctx.Response.Body;
            await response.Entity.DataBytes.RunWith(StreamConverters.FromOutputStream(() => output), mat);
        });
        await app.StartAsync();
        return new UpstreamServer(app, port);
    }

    public async ValueTask DisposeAsync() => await _app.StopAsync();
}
