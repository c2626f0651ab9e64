// Epsilon.Actors.Bench: Epsilon side by side with Akka.IO, Akka.Streams, raw .NET sockets and
// Kestrel, each in its own process, in the same run. See README.md beside this file.
//
//   dotnet run -c Release --project Epsilon.Actors.Bench -- list
//   dotnet run -c Release --project Epsilon.Actors.Bench -- all [--out docs/bench-latest.md]
//   dotnet run -c Release --project Epsilon.Actors.Bench -- tcp-echo --peers epsilon-epoll,akka-io --connections 64
using System.Globalization;
using System.Runtime.InteropServices;
using Epsilon.Actors.Bench.Load;
using Epsilon.Actors.Bench.Macro;
using Epsilon.Actors.Bench.Micro;
using Epsilon.Actors.Bench.Peers;

IScenario[] scenarios = [new TcpEchoScenario(), new TcpBulkScenario(), new ConnectionsScenario(), new StartupScenario(), new MicroScenario(), new UdpEchoScenario(), new StreamEchoScenario(), new TlsScenario(), new HttpPlaintextScenario(), new HttpStaticScenario(), new HttpsPlaintextScenario(), new ChurnScenario(tls: false), new ChurnScenario(tls: true)];

if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
{
    Console.WriteLine("usage: Epsilon.Actors.Bench list | all | <scenario> [options]\n" + BenchOptions.Help);
    return args.Length == 0 ? 1 : 0;
}

switch (args[0])
{
    case "server":
        return await ServerMode.RunAsync(PeerNames.Parse(args[1]), int.Parse(args[3], CultureInfo.InvariantCulture));
    case "https-server":
        return await HttpsPlaintextServer.RunAsync(args[1..]);
    case "loadgen":
        return LoadGenMode.Run(args[1..]);
    case "list":
        foreach (var s in scenarios) Console.WriteLine($"{s.Name,-12} {s.Description}");
        Console.WriteLine($"{"all",-12} every scenario above, in that order");
        return 0;
}

var (options, rest) = BenchOptions.Parse(args.Skip(1));
var chosen = args[0] == "all" ? scenarios : scenarios.Where(s => s.Name == args[0]).ToArray();
if (chosen.Length == 0)
{
    Console.Error.WriteLine($"unknown scenario '{args[0]}'; try 'list'");
    return 1;
}

if (!OperatingSystem.IsLinux() || Environment.ProcessorCount < 2)
    Console.Error.WriteLine("note: pinning needs Linux and 2+ CPUs; running unpinned.");
if (!OperatingSystem.IsLinux() || Environment.ProcessorCount < 2) options = options with { Pinned = false };

var report = new System.Text.StringBuilder();
report.AppendLine($"## Epsilon.Actors.Bench, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
report.AppendLine();
report.AppendLine($"Machine: {Environment.ProcessorCount} CPUs ({CpuModel()}), {RuntimeInformation.OSDescription}, .NET {Environment.Version}. " +
                  $"Command: `{string.Join(' ', args)}`. Rounds: {options.Rounds}, warm-up {options.WarmupSeconds} s, window {options.DurationSeconds} s. " +
                  (options.Pinned ? "Server pinned to CPU 0, load generator to CPU 1." : "Unpinned."));
report.AppendLine();
Console.Out.Write(report);
foreach (var scenario in chosen)
{
    if (scenario is MicroScenario micro) micro.Arguments = rest.ToArray();
    var text = await scenario.RunAsync(options);
    Console.WriteLine(text);
    report.AppendLine(text);
}

if (options.OutFile is { } file) await File.AppendAllTextAsync(file, report.ToString());
return 0;

static string CpuModel()
{
    try
    {
        var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line?.Split(':', 2)[1].Trim() ?? "unknown CPU";
    }
    catch (IOException)
    {
        return "unknown CPU";
    }
}
