using System.Diagnostics;
using System.Net;
using Akka.Streams;
using Epsilon.Actors.Http;
using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server;
using Epsilon.Actors.Http.Server.Routing;
using Epsilon.Actors.Io.Tls;
using Epsilon.Actors.Tests.TestKit;
using Xunit;
using Xunit.Abstractions;
using AkkaTestKit = Akka.TestKit.Xunit2.TestKit;

namespace Epsilon.Actors.Tests.Conformance;

/// <summary>
/// Epsilon's HTTPS server against curl (OpenSSL inside) trusting the test CA with <c>--cacert</c>,
/// and against <c>openssl s_client</c> for ALPN; certificates that must fail do fail, with curl's
/// certificate error.
/// </summary>
[Trait("Category", "Conformance")]
public sealed class HttpsCurlOpenSslTests : AkkaTestKit, IAsyncLifetime
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);
    private readonly IMaterializer _materializer;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "epsilon-https-" + Guid.NewGuid().ToString("N"));
    private readonly string _curl = ExternalTool.Require("curl", "curl");
    private HttpServerBinding? _binding;

    public HttpsCurlOpenSslTests(ITestOutputHelper output)
        : base(EpsilonTestConfig.For("auto"), output: output)
    {
        _materializer = Sys.Materializer();
        Directory.CreateDirectory(_dir);
        File.WriteAllText(CaPath, TestCertificates.Shared.Ca.ExportCertificatePem());
    }

    private string CaPath => Path.Combine(_dir, "ca.crt");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_binding is not null) await _binding.Terminate(TimeSpan.Zero).WaitAsync(s_wait);
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Curl_with_cacert_gets_GET_and_POST_over_http11_with_TLS_13_and_12_and_reports_ALPN_http11()
    {
        var port = await StartAsync(TestCertificates.Shared.Server("localhost"));
        var url = $"https://localhost:{port}";
        var resolve = $"--resolve localhost:{port}:127.0.0.1";

        var (exit, stdout, stderr) = await RunAsync(_curl, $"-sS -v --http1.1 --cacert {CaPath} {resolve} {url}/hello");
        Assert.True(exit == 0, $"curl exited {exit}: {stderr}");
        Assert.Equal("hello over https", stdout);
        Assert.Contains("ALPN: server accepted http/1.1", stderr, StringComparison.Ordinal);
        Assert.Contains("SSL certificate verify ok", stderr, StringComparison.Ordinal);
        Assert.Contains("SSL connection using TLSv1.3", stderr, StringComparison.Ordinal);

        (exit, stdout, stderr) = await RunAsync(_curl, $"-sS --cacert {CaPath} {resolve} --data-binary @- -H \"Content-Type: text/plain\" {url}/echo", "posted by curl\nsecond line\n");
        Assert.True(exit == 0, $"curl exited {exit}: {stderr}");
        Assert.Equal("posted by curl\nsecond line\n", stdout);

        (exit, stdout, stderr) = await RunAsync(_curl, $"-sS -v --tlsv1.2 --tls-max 1.2 --cacert {CaPath} {resolve} {url}/hello");
        Assert.True(exit == 0, $"curl --tls-max 1.2 exited {exit}: {stderr}");
        Assert.Equal("hello over https", stdout);
        Assert.Contains("SSL connection using TLSv1.2", stderr, StringComparison.Ordinal);

        // curl's default offers h2 too; the server's ALPN picks http/1.1 and curl speaks it.
        (exit, stdout, stderr) = await RunAsync(_curl, $"-sS -v --cacert {CaPath} {resolve} {url}/hello {url}/hello");
        Assert.True(exit == 0, $"curl exited {exit}: {stderr}");
        Assert.Equal("hello over httpshello over https", stdout);
        Assert.Contains("ALPN: server accepted http/1.1", stderr, StringComparison.Ordinal);
        Assert.Contains("Re-using existing connection", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Curl_http10_offering_only_ALPN_http10_is_served_HTTP_1_0_over_TLS()
    {
        // Regression (issue 10): the server announced http/1.1 only, so curl --http1.0 got a fatal
        // no_application_protocol alert although the HTTP/1.1 stage speaks HTTP/1.0.
        var port = await StartAsync(TestCertificates.Shared.Server("localhost"));
        var (exit, stdout, stderr) = await RunAsync(_curl,
            $"-sS -v --http1.0 --cacert {CaPath} --resolve localhost:{port}:127.0.0.1 https://localhost:{port}/hello");
        Assert.True(exit == 0, $"curl --http1.0 exited {exit}: {stderr}");
        Assert.Equal("hello over https", stdout);
        Assert.Contains("ALPN: server accepted http/1.0", stderr, StringComparison.Ordinal);
        Assert.Contains("HTTP/1.1 200", stderr, StringComparison.Ordinal);

        // Offered both, the server prefers http/1.1.
        var openssl = ExternalTool.Require("openssl", "openssl");
        (exit, stdout, stderr) = await RunAsync(openssl,
            $"s_client -connect 127.0.0.1:{port} -servername localhost -CAfile {CaPath} -alpn http/1.0,http/1.1 -ign_eof",
            "GET /hello HTTP/1.0\r\n\r\n");
        Assert.True(exit == 0, $"s_client exited {exit}: {stderr}\n{stdout}");
        Assert.Contains("ALPN protocol: http/1.1", stdout, StringComparison.Ordinal);
        Assert.Contains("hello over https", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Openssl_s_client_offering_h2_and_http11_sees_http11_selected()
    {
        var openssl = ExternalTool.Require("openssl", "openssl");
        var port = await StartAsync(TestCertificates.Shared.Server("localhost"));
        var (exit, stdout, stderr) = await RunAsync(openssl,
            $"s_client -connect 127.0.0.1:{port} -servername localhost -CAfile {CaPath} -verify_return_error -alpn h2,http/1.1 -ign_eof",
            "GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        Assert.True(exit == 0, $"s_client exited {exit}: {stderr}\n{stdout}");
        Assert.Contains("ALPN protocol: http/1.1", stdout, StringComparison.Ordinal);
        Assert.Contains("Verify return code: 0 (ok)", stdout, StringComparison.Ordinal);
        Assert.Contains("HTTP/1.1 200 OK", stdout, StringComparison.Ordinal);
        Assert.Contains("hello over https", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Openssl_s_client_offering_only_h2_gets_the_no_application_protocol_alert()
    {
        var openssl = ExternalTool.Require("openssl", "openssl");
        var port = await StartAsync(TestCertificates.Shared.Server("localhost"));
        var (exit, stdout, stderr) = await RunAsync(openssl,
            $"s_client -connect 127.0.0.1:{port} -servername localhost -CAfile {CaPath} -alpn h2", "");
        Assert.True(exit != 0, $"s_client succeeded: {stdout}");
        Assert.Contains("alert no application protocol", stderr, StringComparison.Ordinal);
        await ServerStillAnswers(port);
    }

    [Fact]
    public async Task Curl_refuses_an_expired_certificate_with_a_certificate_error()
    {
        var port = await StartAsync(TlsCertificate.FromCertificate(TestCertificates.Shared.Expired("localhost")));
        var (exit, _, stderr) = await RunAsync(_curl, $"-sS --cacert {CaPath} --resolve localhost:{port}:127.0.0.1 https://localhost:{port}/hello");
        Assert.True(exit == 60, $"curl exited {exit}, expected 60 (peer certificate cannot be authenticated): {stderr}");
        Assert.Contains("certificate has expired", stderr, StringComparison.Ordinal);
        await ServerStillAnswers(port);
    }

    [Fact]
    public async Task Curl_refuses_a_certificate_for_another_host_with_a_certificate_error()
    {
        var port = await StartAsync(TestCertificates.Shared.Server("other.test"));
        var (exit, _, stderr) = await RunAsync(_curl, $"-sS --cacert {CaPath} --resolve localhost:{port}:127.0.0.1 https://localhost:{port}/hello");
        Assert.True(exit == 60, $"curl exited {exit}, expected 60 (peer certificate cannot be authenticated): {stderr}");
        Assert.Contains("subject name", stderr, StringComparison.Ordinal);
        await ServerStillAnswers(port);
    }

    [Fact]
    public async Task Curl_refuses_a_certificate_from_an_untrusted_CA()
    {
        var port = await StartAsync(TlsCertificate.FromCertificate(TestCertificates.Shared.Untrusted("localhost")));
        var (exit, _, stderr) = await RunAsync(_curl, $"-sS --cacert {CaPath} --resolve localhost:{port}:127.0.0.1 https://localhost:{port}/hello");
        Assert.True(exit == 60, $"curl exited {exit}, expected 60: {stderr}");
        Assert.Contains("SSL certificate problem", stderr, StringComparison.Ordinal);
    }

    /// <summary>After curl aborted its handshake, a client that does not check the certificate is still served.</summary>
    private async Task ServerStillAnswers(int port)
    {
        var (exit, stdout, stderr) = await RunAsync(_curl, $"-sS --insecure https://127.0.0.1:{port}/hello");
        Assert.True(exit == 0, $"curl --insecure exited {exit}: {stderr}");
        Assert.Equal("hello over https", stdout);
    }

    private async Task<int> StartAsync(TlsCertificate certificate)
    {
        var routes = new HttpRoutes()
            .Get("/hello", _ => HttpResponse.Text("hello over https"))
            .Post("/echo", async request =>
            {
                var body = await request.Entity.ToStrictAsync(1 << 20, s_wait, _materializer);
                return HttpResponse.Bytes(body.Data, body.ContentType);
            });
        var options = new TlsServerOptions(certificate) { Settings = TlsSettings.Default with { OcspStapling = false } };
        _binding = await Sys.Http().NewServerAt("127.0.0.1", 0).EnableHttps(options).Bind(routes).WaitAsync(s_wait);
        return ((IPEndPoint)_binding.LocalAddress).Port;
    }

    private static Task<(int ExitCode, string Output, string Error)> RunAsync(string file, string arguments, string stdin = "") =>
        ExternalTool.RunCapturingAsync(file, arguments, stdin, s_wait);
}
