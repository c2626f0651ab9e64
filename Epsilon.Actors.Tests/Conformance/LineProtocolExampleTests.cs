using System.Text;
using Epsilon.Actors.Tests.TestKit;
using Xunit;

namespace Epsilon.Actors.Tests.Conformance;

/// <summary>The LineProtocol example, run as its own processes: a plain socket and its own client mode talk to it.</summary>
[Trait("Category", "Conformance")]
public sealed class LineProtocolExampleTests
{
    [Fact]
    public async Task Example_server_answers_a_plain_socket_and_its_own_client_mode()
    {
        await using var server = await ExampleProcess.StartAsync("LineProtocol", "--port 0");

        // A plain socket, with a line split across writes; QUIT answers BYE and closes.
        using (var client = PlainSocket.Connect(server.EndPoint))
        {
            client.Send("PING\nUPPER hel"u8);
            Thread.Sleep(50);
            client.Send("lo\r\nECHO a b c\nNOPE\nQUIT\nIGNORED\n"u8);
            Assert.Equal("PONG\nHELLO\na b c\nERR unknown command\nBYE\n", Encoding.UTF8.GetString(client.ReceiveToEnd()));
        }

        // A line over the 1024-byte limit: that connection is closed (reset), the server lives on.
        using (var flooder = PlainSocket.Connect(server.EndPoint))
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
        var (exitCode, output) = await ExternalTool.RunAsync("dotnet", $"\"{server.Dll}\" --connect 127.0.0.1:{server.Port}", "PING\nECHO from the client\n", TimeSpan.FromSeconds(30));
        Assert.Equal(0, exitCode);
        Assert.Equal("PONG\nfrom the client\n", output.ReplaceLineEndings("\n"));
    }
}
