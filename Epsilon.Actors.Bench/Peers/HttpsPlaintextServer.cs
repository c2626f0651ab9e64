using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Epsilon.Actors.Http;
using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server;
using Epsilon.Actors.Io.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Epsilon.Actors.Bench.Peers;

/// <summary>
/// <c>https-server &lt;epsilon-https|kestrel-https|epsilon-http|kestrel-http&gt; --port P --cert C --key K</c>:
/// the TechEmpower plaintext answer (<c>Hello, World!</c>, 13 bytes, <c>text/plain</c>) on
/// <c>/plaintext</c>, over HTTPS with the PEM certificate and key given (the same files for both
/// servers), or over plain HTTP for the <c>-http</c> variants (the cost of TLS, same run). Prints
/// <c>READY &lt;port&gt;</c> and serves until standard input closes.
/// </summary>
internal static class HttpsPlaintextServer
{
    public static readonly string[] Names = ["epsilon-https", "kestrel-https", "epsilon-http", "kestrel-http"];

    public static async Task<int> RunAsync(string[] args)
    {
        var name = args[0];
        int port = 0;
        string? cert = null, key = null;
        for (var i = 1; i < args.Length - 1; i++)
        {
            switch (args[i])
            {
                case "--port": port = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--cert": cert = args[i + 1]; break;
                case "--key": key = args[i + 1]; break;
            }
        }

        var https = !name.EndsWith("-http", StringComparison.Ordinal);
        if (https && (cert is null || key is null)) throw new ArgumentException("https-server needs --cert and --key");
        var stop = new TaskCompletionSource();
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
        new Thread(() =>
        {
            while (Console.In.ReadLine() is not null)
            {
            }

            stop.TrySetResult();
        })
        { IsBackground = true, Name = "orchestrator-commands" }.Start();

        Func<Task> shutdown;
        if (name.StartsWith("epsilon", StringComparison.Ordinal))
        {
            var system = ActorSystem.Create("bench", $"akka.loglevel = WARNING\nepsilon.io.backend = epoll\n{Environment.GetEnvironmentVariable("EPSILON_BENCH_HOCON")}");
            var response = HttpResponse.Text("Hello, World!");
            var notFound = HttpResponse.Status(StatusCode.NotFound);
            HttpHandler handler = request => ValueTask.FromResult(request.Path == "/plaintext" ? response : notFound);
            var builder = system.Http().NewServerAt("127.0.0.1", port);
            if (https)
            {
                // Offline: no OCSP fetch for a self-signed certificate in a benchmark.
                builder = builder.EnableHttps(new TlsServerOptions(TlsCertificate.FromPemFiles(cert!, key!)) { Settings = TlsSettings.Default with { OcspStapling = false } });
            }

            var binding = await builder.Bind(handler);
            shutdown = async () =>
            {
                await binding.Terminate(TimeSpan.Zero);
                await system.Terminate();
            };
        }
        else
        {
            var web = WebApplication.CreateSlimBuilder();
            web.Logging.ClearProviders();
            var certificate = https ? X509Certificate2.CreateFromPemFile(cert!, key) : null;
            web.WebHost.UseSockets(sockets => sockets.Backlog = 4096); // as Epsilon's min-backlog; Kestrel's default is 512
            web.WebHost.ConfigureKestrel(options => options.Listen(IPAddress.Loopback, port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                if (certificate is not null) listen.UseHttps(certificate);
            }));
            var app = web.Build();
            app.MapGet("/plaintext", () => Microsoft.AspNetCore.Http.Results.Text("Hello, World!", "text/plain; charset=utf-8"));
            await app.StartAsync();
            shutdown = async () =>
            {
                await app.StopAsync();
                certificate?.Dispose();
            };
        }

        Console.WriteLine($"READY {port}");
        await stop.Task;
        await shutdown().WaitAsync(TimeSpan.FromSeconds(5));
        return 0;
    }
}
