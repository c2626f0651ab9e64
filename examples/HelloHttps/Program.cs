// HTTPS with Epsilon's HTTP/1.1 server: TLS (SslStream) between TCP and HTTP, ALPN http/1.1.
//
//   dotnet run --project examples/HelloHttps -- --port 8443 --cert server.crt --key server.key
//   dotnet run --project examples/HelloHttps -- --port 8443      (makes a self-signed certificate)
//   curl --cacert <the .crt it prints> https://localhost:8443/
//   curl --cacert <the .crt it prints> -d 'some text' https://localhost:8443/echo
using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Streams;
using Epsilon.Actors.Http;
using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server;
using Epsilon.Actors.Http.Server.Routing;

var portOption = new Option<ushort>("--port") { Description = "TCP port to listen on; 0 picks a free one", DefaultValueFactory = _ => 8443 };
var hostOption = new Option<string?>("--host") { Description = "address to listen on [default: both loopbacks, 127.0.0.1 and ::1]" };
var certOption = new Option<string?>("--cert") { Description = "certificate PEM file (leaf first); without it a self-signed one is made in memory" };
var keyOption = new Option<string?>("--key") { Description = "private key PEM file of --cert" };
var parsed = new RootCommand("HelloHttps: HTTPS with Epsilon's HTTP/1.1 server.") { portOption, hostOption, certOption, keyOption }.Parse(args);
if (parsed.Errors.Count > 0 || (parsed.Action is null && (parsed.GetValue(certOption) is null) != (parsed.GetValue(keyOption) is null)))
{
    Console.Error.WriteLine(parsed.Errors.Count > 0 ? $"{parsed.Errors[0].Message} (see --help)" : "give both --cert and --key, or neither (see --help)");
    return 2;
}

if (parsed.Action is not null) return parsed.Invoke(); // --help, --version
var port = parsed.GetValue(portOption);
var host = parsed.GetValue(hostOption);
var certPath = parsed.GetValue(certOption);
var keyPath = parsed.GetValue(keyOption);

// No certificate given: a self-signed one whose key stays in memory; only the certificate (public)
// is written, for curl --cacert, and it is deleted on exit.
using var selfSigned = certPath is null ? SelfSigned.Create() : null;
if (selfSigned is not null)
{
    certPath = Path.Combine(Path.GetTempPath(), $"epsilon-hello-https-{Environment.ProcessId}.crt");
    File.WriteAllText(certPath, selfSigned.ExportCertificatePem());
}

var system = ActorSystem.Create("hello-https", "akka.loglevel = INFO");
var materializer = system.Materializer();
var routes = new HttpRoutes()
    .Get("/", _ => HttpResponse.Text("Hello, HTTPS!\n"))
    .Post("/echo", async request =>
    {
        // A bounded read: at most 1 MiB of body, within 10 s.
        var body = await request.Entity.ToStrictAsync(1 << 20, TimeSpan.FromSeconds(10), materializer);
        return HttpResponse.Bytes(body.Data, body.ContentType);
    });

var bindings = new List<HttpServerBinding>();
try
{
    // Both loopbacks by default (the certificate names both), on one port.
    string[] addresses = host is null ? ["127.0.0.1", "::1"] : [host];
    foreach (var address in addresses)
    {
        var server = system.Http().NewServerAt(address, bindings.Count == 0 ? port : ((IPEndPoint)bindings[0].LocalAddress).Port);
        server = selfSigned is not null ? server.EnableHttps(selfSigned) : server.EnableHttps(certPath!, keyPath!);
        bindings.Add(await server.Bind(routes));
    }
}
catch (Exception e) when ((e as SocketException ?? e.InnerException as SocketException) is { } socket)
{
    Console.Error.WriteLine($"cannot listen on {host ?? "localhost"}:{port}: {socket.Message}");
    return await Exit(1);
}

var bound = ((IPEndPoint)bindings[0].LocalAddress).Port;
// Signals are taken before the listening line, so a Ctrl-C right after it is never missed.
var stop = new TaskCompletionSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
Console.WriteLine($"HTTPS listening on {string.Join(", ", bindings.Select(b => b.LocalAddress))} (certificate {certPath}). Ctrl-C to stop.");
Console.WriteLine($"  curl --cacert {certPath} https://localhost:{bound}/");

await stop.Task;
Console.WriteLine("Stopping.");
return await Exit(0);

async Task<int> Exit(int code)
{
    await Task.WhenAll(bindings.Select(b => b.Terminate(TimeSpan.FromSeconds(5))));
    await system.Terminate();
    if (selfSigned is not null) File.Delete(certPath!);
    return code;
}

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.TrySetResult();
}

/// <summary>A self-signed certificate for localhost, 127.0.0.1 and ::1, with its key in memory only.</summary>
internal static class SelfSigned
{
    /// <summary>Makes a fresh certificate (ECDSA P-256, 30 days) with its private key.</summary>
    public static X509Certificate2 Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        // CA:true so that OpenSSL (curl --cacert) accepts the certificate as its own trust anchor.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(30));
    }
}
