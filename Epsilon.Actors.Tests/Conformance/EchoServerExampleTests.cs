using Epsilon.Actors.Tests.TestKit;
using Xunit;

namespace Epsilon.Actors.Tests.Conformance;

/// <summary>The EchoServer example, run as its own process, answers a plain <c>nc</c>.</summary>
[Trait("Category", "Conformance")]
public sealed class EchoServerExampleTests
{
    [Fact]
    public async Task Example_echo_server_answers_netcat()
    {
        var nc = ExternalTool.Require("nc", "netcat-openbsd");
        await using var server = await ExampleProcess.StartAsync("EchoServer", "--port 0");

        // nc sends its input and half-closes; the example echoes it all, then closes.
        var (exitCode, output) = await ExternalTool.RunAsync(nc, $"-q 5 127.0.0.1 {server.Port}", "hello from netcat\nsecond line\n", TimeSpan.FromSeconds(20));
        Assert.Equal(0, exitCode);
        Assert.Equal("hello from netcat\nsecond line\n", output);
    }
}
