using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Epsilon.Actors.Bench.Peers;

namespace Epsilon.Actors.Bench.Macro;

/// <summary>What every scenario does: start a peer's server and the load generator, each in its own (pinned) process.</summary>
internal static class Harness
{
    public const int ServerCpu = 0;
    public const int LoadCpu = 1;

    public static void Progress(string text) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {text}");

    public static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    public static async Task<(ChildProcess Server, int Port)> StartServerAsync(PeerKind peer, bool pinned)
    {
        var port = FreePort();
        var server = ChildProcess.Start(["server", peer.Name(), "--port", port.ToString(CultureInfo.InvariantCulture)], pinned ? ServerCpu : null);
        try
        {
            await server.WaitForAsync("READY", TimeSpan.FromSeconds(60));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return (server, port);
    }

    public static ChildProcess StartLoad(IEnumerable<string> arguments, bool pinned) =>
        ChildProcess.Start(["loadgen", .. arguments], pinned ? LoadCpu : null);

    /// <summary>
    /// One measurement: starts <paramref name="peer"/>'s server, runs the load generator with
    /// <paramref name="loadArguments"/>, reads the server's CPU seconds at the generator's
    /// <c>WINDOW-START</c> and <c>WINDOW-END</c>, and returns its <c>RESULT</c> values with the
    /// server's CPU seconds over the window; each step may take up to <paramref name="wait"/>.
    /// </summary>
    public static async Task<(Dictionary<string, double> Result, double ServerCpuSeconds)> MeasureWindowAsync(
        PeerKind peer, IEnumerable<string> loadArguments, bool pinned, TimeSpan wait)
    {
        var (server, port) = await StartServerAsync(peer, pinned);
        await using (server)
        {
            await using var load = StartLoad([.. loadArguments, "--port", I(port)], pinned);
            await load.WaitForAsync("WINDOW-START", wait);
            var cpu0 = ProcStats.CpuSeconds(server.Pid);
            await load.WaitForAsync("WINDOW-END", wait);
            var cpu1 = ProcStats.CpuSeconds(server.Pid);
            return (ParseResult(await load.WaitForAsync("RESULT", wait)), cpu1 - cpu0);
        }
    }

    /// <summary>Parses <c>RESULT key=value …</c>.</summary>
    public static Dictionary<string, double> ParseResult(string line)
    {
        var values = new Dictionary<string, double>();
        foreach (var part in line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            var eq = part.IndexOf('=');
            values[part[..eq]] = double.Parse(part[(eq + 1)..], CultureInfo.InvariantCulture);
        }

        return values;
    }

    public static string I(double v) => v.ToString(CultureInfo.InvariantCulture);
}
