using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace Epsilon.Actors.Bench.Peers;

/// <summary>
/// Kestrel over HTTP/1.1 as the HTTP scenarios' .NET reference: a minimal API answering
/// <c>GET /plaintext</c> with the 13-byte <c>Hello, World!</c> (text/plain; charset=utf-8, as in
/// TechEmpower's minimal-API entry), and <c>UseStaticFiles</c> under <c>/static</c> over the directory
/// the orchestrator names in <see cref="HttpBenchContent.StaticRootVariable"/>. It runs in this same
/// program, so its GC and JIT settings are exactly Epsilon's (workstation, concurrent GC; TieredPGO).
/// Its listen backlog is 4096, Epsilon's <c>epsilon.io.tcp.min-backlog</c>.
/// </summary>
internal static class KestrelHttpServer
{
    public static async Task<WebApplication> StartAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // The same listen backlog as Epsilon's listeners (epsilon.io.tcp.min-backlog); Kestrel's own default is 512.
        builder.WebHost.UseSockets(sockets => sockets.Backlog = 4096);
        builder.WebHost.ConfigureKestrel(options => options.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.MapGet("/plaintext", () => HttpBenchContent.PlaintextBody);
        if (HttpBenchContent.StaticRoot() is { } root)
        {
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = new PhysicalFileProvider(root),
                RequestPath = "/static",
                ServeUnknownFileTypes = true,
            });
        }

        await app.StartAsync();
        return app;
    }
}
