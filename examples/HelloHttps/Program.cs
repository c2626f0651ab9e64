// HTTPS with Epsilon's HTTP/1.1 server: TLS (SslStream) between TCP and HTTP, ALPN http/1.1.
//
//   dotnet run --project examples/HelloHttps -- --port 8443 --cert server.crt --key server.key
//   dotnet run --project examples/HelloHttps -- --port 8443      (makes a self-signed certificate)
//   curl --cacert <the .crt it prints> https://localhost:8443/
//   curl --cacert <the .crt it prints> -d 'some text' https://localhost:8443/echo
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Streams;
using Epsilon.Actors.Http;
using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server;
using Epsilon.Actors.Http.Server.Routing;

var port = 8443;
var host = "127.0.0.1";
string? certPath = null, keyPath = null;
for (var i = 0; i < args.Length - 1; i++)
{
    switch (args[i])
    {
        case "--port": port = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--host": host = args[i + 1]; break;
        case "--cert": certPath = args[i + 1]; break;
        case "--key": keyPath = args[i + 1]; break;
    }
}

if ((certPath is null) != (keyPath is null))
{
    Console.Error.WriteLine("give both --cert and --key, or neither (a self-signed certificate is made)");
    return 2;
}

if (certPath is null || keyPath is null) (certPath, keyPath) = SelfSigned.Write(Path.Combine(Path.GetTempPath(), $"epsilon-hello-https-{Environment.ProcessId}"));

using var system = ActorSystem.Create("hello-https", "akka.loglevel = INFO");
var materializer = system.Materializer();
var routes = new HttpRoutes()
    .Get("/", _ => HttpResponse.Text("Hello, HTTPS!\n"))
    .Post("/echo", async request =>
    {
        // A bounded read: at most 1 MiB of body, within 10 s.
        var body = await request.Entity.ToStrictAsync(1 << 20, TimeSpan.FromSeconds(10), materializer);
        return HttpResponse.Bytes(body.Data, body.ContentType);
    });

var binding = await system.Http().NewServerAt(host, port)
    .EnableHttps(certPath, keyPath)
    .Bind(routes);
var bound = (IPEndPoint)binding.LocalAddress;
Console.WriteLine($"HTTPS listening on {host}:{bound.Port} (certificate {certPath}). Ctrl-C to stop.");
Console.WriteLine($"  curl --cacert {certPath} https://localhost:{bound.Port}/");

var stop = new TaskCompletionSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
await stop.Task;
Console.WriteLine("Stopping.");
await binding.Terminate(TimeSpan.FromSeconds(5));
await system.Terminate();
return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.TrySetResult();
}

/// <summary>A self-signed certificate for localhost and 127.0.0.1, written as PEM so curl can trust it.</summary>
internal static class SelfSigned
{
    /// <summary>Makes a fresh certificate (ECDSA P-256, 30 days) in <paramref name="directory"/>; returns the two paths.</summary>
    public static (string Cert, string Key) Write(string directory)
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
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(30));

        Directory.CreateDirectory(directory);
        var certPath = Path.Combine(directory, "localhost.crt");
        var keyPath = Path.Combine(directory, "localhost.key");
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return (certPath, keyPath);
    }
}
