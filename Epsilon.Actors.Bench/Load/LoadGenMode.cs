using System.Globalization;
using System.Net;

namespace Epsilon.Actors.Bench.Load;

/// <summary>
/// <c>loadgen echo|bulk|connections --port P …</c>: the load generator, in its own process. It
/// prints <c>WINDOW-START</c> / <c>WINDOW-END</c> around the measured window (the orchestrator
/// samples the server's CPU there) and finally <c>RESULT key=value …</c>.
/// </summary>
internal static class LoadGenMode
{
    public static int Run(string[] args)
    {
        var kind = args.Length > 0 ? args[0] : throw new ArgumentException("loadgen needs echo, bulk or connections");
        var options = new Dictionary<string, string>();
        for (var i = 1; i + 1 < args.Length; i += 2) options[args[i].TrimStart('-')] = args[i + 1];
        string Get(string key, string fallback) => options.TryGetValue(key, out var v) ? v : fallback;
        var server = new IPEndPoint(IPAddress.Loopback, int.Parse(Get("port", "0"), CultureInfo.InvariantCulture));

        static void Signal(string line)
        {
            Console.WriteLine(line);
            Console.Out.Flush();
        }

        static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

        switch (kind)
        {
            case "echo":
            {
                var r = EchoLoad.Run(server,
                    int.Parse(Get("connections", "1"), CultureInfo.InvariantCulture),
                    int.Parse(Get("size", "64"), CultureInfo.InvariantCulture),
                    TimeSpan.FromSeconds(double.Parse(Get("warmup", "1"), CultureInfo.InvariantCulture)),
                    TimeSpan.FromSeconds(double.Parse(Get("duration", "3"), CultureInfo.InvariantCulture)),
                    Signal);
                Signal($"RESULT messages={r.Messages} seconds={F(r.Seconds)} p50={F(r.P50Micros)} p99={F(r.P99Micros)} loadcpu={F(r.LoadCpuSeconds)}");
                return 0;
            }

            case "bulk":
            {
                var r = BulkLoad.Run(server, long.Parse(Get("bytes", "1073741824"), CultureInfo.InvariantCulture), Signal);
                Signal($"RESULT bytes={r.Bytes} seconds={F(r.Seconds)} loadcpu={F(r.LoadCpuSeconds)}");
                return 0;
            }

            case "connections":
            {
                var r = ConnectionsLoad.Run(server, int.Parse(Get("connections", "10000"), CultureInfo.InvariantCulture),
                    int.Parse(Get("sources", "4"), CultureInfo.InvariantCulture), Get("storm", "yes") == "yes", Get("protocol", "echo") == "http",
                    int.Parse(Get("warmups", "0"), CultureInfo.InvariantCulture), Signal, Console.ReadLine);
                Signal($"RESULT connections={r.Connections} connect={F(r.ConnectSeconds)} exchange={F(r.ExchangeSeconds)} exchanged={r.Exchanged}");
                return 0;
            }

            case "udp":
            {
                var r = UdpEchoLoad.Run(server,
                    int.Parse(Get("sockets", "16"), CultureInfo.InvariantCulture),
                    int.Parse(Get("window", "8"), CultureInfo.InvariantCulture),
                    int.Parse(Get("size", "64"), CultureInfo.InvariantCulture),
                    TimeSpan.FromSeconds(double.Parse(Get("warmup", "1"), CultureInfo.InvariantCulture)),
                    TimeSpan.FromSeconds(double.Parse(Get("duration", "3"), CultureInfo.InvariantCulture)),
                    Signal);
                Signal($"RESULT messages={r.Messages} sent={r.Sent} lost={r.Lost} seconds={F(r.Seconds)} loadcpu={F(r.LoadCpuSeconds)}");
                return 0;
            }

            default:
                throw new ArgumentException($"unknown load '{kind}'");
        }
    }
}
