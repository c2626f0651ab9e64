using System.Diagnostics;
using System.Text.RegularExpressions;
using Epsilon.Actors.Tests.TestKit;
using Xunit;

namespace Epsilon.Actors.Tests.Conformance;

/// <summary>
/// The HelloHttps example, run as its own process: with a certificate given on the command line,
/// and with none (it makes a self-signed one and prints where), curl trusting that certificate
/// through <c>--cacert</c> is answered.
/// </summary>
[Trait("Category", "Conformance")]
public sealed partial class HelloHttpsExampleTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    [GeneratedRegex(@"HTTPS listening on [^\s]+:(?<port>\d+)(, [^\s]+)? \(certificate (?<cert>[^)]+)\)")]
    private static partial Regex ListeningLine();

    [Fact]
    public async Task Example_with_its_own_self_signed_certificate_answers_curl_cacert_on_both_loopbacks_and_leaves_no_file()
    {
        var tempBefore = Directory.GetFileSystemEntries(Path.GetTempPath(), "epsilon-hello-https-*");
        var (port, cert) = await RunExampleAsync("--port 0", async (port, cert) =>
        {
            Assert.True(File.Exists(cert), $"the example printed {cert}, which does not exist");
            Assert.DoesNotContain("PRIVATE KEY", await File.ReadAllTextAsync(cert), StringComparison.Ordinal);
            await AssertCurlAnswers(port, cert);
            await AssertCurlAnswers(port, cert, "::1");
        });
        Assert.True(port > 0);
        // Stopped with SIGTERM: the certificate file is gone and nothing else was left in the temp directory.
        Assert.False(File.Exists(cert), $"{cert} was left behind");
        Assert.Equal(tempBefore, Directory.GetFileSystemEntries(Path.GetTempPath(), "epsilon-hello-https-*"));
    }

    [Fact]
    public async Task Example_with_a_PEM_certificate_and_key_on_the_command_line_answers_curl_cacert()
    {
        var dir = Path.Combine(Path.GetTempPath(), "epsilon-hello-https-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (cert, key) = TestCertificates.WritePem(TestCertificates.Shared.Leaf("localhost"), dir, "server");
            var ca = Path.Combine(dir, "ca.crt");
            await File.WriteAllTextAsync(ca, TestCertificates.Shared.Ca.ExportCertificatePem());
            await RunExampleAsync($"--port 0 --cert {cert} --key {key}", async (port, printed) =>
            {
                Assert.Equal(cert, printed);
                await AssertCurlAnswers(port, ca);
            });
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task AssertCurlAnswers(int port, string caFile, string address = "127.0.0.1")
    {
        var curl = ExternalTool.Require("curl", "curl");
        var resolve = $"--resolve localhost:{port}:{(address.Contains(':', StringComparison.Ordinal) ? $"[{address}]" : address)}";
        var (exit, output) = await ExternalTool.RunAsync(curl, $"-sS --cacert {caFile} {resolve} https://localhost:{port}/", "", s_wait);
        Assert.Equal(0, exit);
        Assert.Equal("Hello, HTTPS!\n", output);
        (exit, output) = await ExternalTool.RunAsync(curl, $"-sS --cacert {caFile} {resolve} --data-binary @- https://localhost:{port}/echo", "echo me", s_wait);
        Assert.Equal(0, exit);
        Assert.Equal("echo me", output);
    }

    private static async Task<(int Port, string Cert)> RunExampleAsync(string arguments, Func<int, string, Task> check)
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name; // bin/<Configuration>/net10.0
        var dll = Path.Combine(ExternalTool.RepositoryRoot(), "examples", "HelloHttps", "bin", configuration, "net10.0", "HelloHttps.dll");
        Assert.True(File.Exists(dll), $"build the example first: {dll} is missing");

        using var server = Process.Start(new ProcessStartInfo("dotnet", $"\"{dll}\" {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        try
        {
            using var cts = new CancellationTokenSource(s_wait);
            while (true)
            {
                var line = await server.StandardOutput.ReadLineAsync(cts.Token)
                    ?? throw new InvalidOperationException("the example exited before listening: " + await server.StandardError.ReadToEndAsync());
                var match = ListeningLine().Match(line);
                if (!match.Success) continue;
                var port = int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
                var cert = match.Groups["cert"].Value;
                await check(port, cert);
                return (port, cert);
            }
        }
        finally
        {
            // SIGTERM, as a user's Ctrl-C would: the example cleans up after itself.
            using (var kill = Process.Start(new ProcessStartInfo("kill", $"-s TERM {server.Id}") { UseShellExecute = false })!)
            {
                await kill.WaitForExitAsync();
            }

            using var exited = new CancellationTokenSource(s_wait);
            try
            {
                await server.WaitForExitAsync(exited.Token);
            }
            catch (OperationCanceledException)
            {
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync();
            }
        }
    }
}
