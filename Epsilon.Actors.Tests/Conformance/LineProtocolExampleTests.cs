using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Epsilon.Actors.Tests.TestKit;
using Xunit;

namespace Epsilon.Actors.Tests.Conformance;

/// <summary>The LineProtocol example, run as its own processes: a plain socket and its own client mode talk to it.</summary>
[Trait("Category", "Conformance")]
public sealed partial class LineProtocolExampleTests
{
    [GeneratedRegex(@"listening on (?<host>[^\s]+):(?<port>\d+)")]
    private static partial Regex ListeningLine();

    private static string ExampleDll()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name; // bin/<Configuration>/net10.0
        var dll = Path.Combine(ExternalTool.RepositoryRoot(), "examples", "LineProtocol", "bin", configuration, "net10.0", "LineProtocol.dll");
        Assert.True(File.Exists(dll), $"build the example first: {dll} is missing");
        return dll;
    }

    [Fact]
    public async Task Example_server_answers_a_plain_socket_and_its_own_client_mode()
    {
        var dll = ExampleDll();
        using var server = Process.Start(new ProcessStartInfo("dotnet", $"\"{dll}\" --port 0")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        try
        {
            string? port = null;
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (port is null)
            {
                var line = await server.StandardOutput.ReadLineAsync(cts.Token) ?? throw new InvalidOperationException("the example exited before listening");
                var match = ListeningLine().Match(line);
                if (match.Success) port = match.Groups["port"].Value;
            }

            // A plain socket, with a line split across writes; QUIT answers BYE and closes.
            using (var client = PlainSocket.Connect(new IPEndPoint(IPAddress.Loopback, int.Parse(port, System.Globalization.CultureInfo.InvariantCulture))))
            {
                client.Send("PING\nUPPER hel"u8);
                Thread.Sleep(50);
                client.Send("lo\r\nECHO a b c\nNOPE\nQUIT\nIGNORED\n"u8);
                Assert.Equal("PONG\nHELLO\na b c\nERR unknown command\nBYE\n", Encoding.UTF8.GetString(client.ReceiveToEnd()));
            }

            // A line over the 1024-byte limit: that connection is closed (reset), the server lives on.
            using (var flooder = PlainSocket.Connect(new IPEndPoint(IPAddress.Loopback, int.Parse(port, System.Globalization.CultureInfo.InvariantCulture))))
            {
                flooder.Send(Encoding.ASCII.GetBytes(new string('x', 2000)));
                try
                {
                    Assert.Equal(0, flooder.Receive(new byte[16]));
                }
                catch (System.Net.Sockets.SocketException ex) when (ex.SocketErrorCode == System.Net.Sockets.SocketError.ConnectionReset)
                {
                    // the expected end: the framing failure aborts the connection
                }
            }

            // The example's client mode: stdin lines out, answers printed; end of input half-closes.
            var (exitCode, output) = await ExternalTool.RunAsync("dotnet", $"\"{dll}\" --connect 127.0.0.1:{port}", "PING\nECHO from the client\n", TimeSpan.FromSeconds(30));
            Assert.Equal(0, exitCode);
            Assert.Equal("PONG\nfrom the client\n", output.ReplaceLineEndings("\n"));
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }
}
