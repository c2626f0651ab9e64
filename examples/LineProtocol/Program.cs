// A line-based protocol server on Akka.Streams TCP over Epsilon's event loops: Akka.Streams' own
// Framing.Delimiter cuts the bytes into lines, a plain Select answers each one, and the whole
// protocol is joined with the connection's flow. Back-pressure is end to end: a client that does
// not read its answers stops the server reading its requests.
//
//   dotnet run --project examples/LineProtocol -- --port 7001
//   printf 'PING\nUPPER hello\nQUIT\n' | nc -q5 127.0.0.1 7001
//   dotnet run --project examples/LineProtocol -- --connect 127.0.0.1:7001     (client: stdin lines in, answers out)
//
// Commands: PING -> PONG; ECHO text -> text; UPPER text -> TEXT; QUIT -> BYE and close;
// anything else -> ERR unknown command. Lines longer than 1024 bytes close the connection.
using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text;
using Akka;
using Akka.Actor;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Epsilon.Actors.Io;
using Epsilon.Actors.Io.Streams;

const int MaxLine = 1024;
var portOption = new Option<ushort>("--port") { Description = "TCP port to listen on; 0 picks a free one", DefaultValueFactory = _ => 7001 };
var hostOption = new Option<string>("--host") { Description = "address to listen on", DefaultValueFactory = _ => "127.0.0.1" };
var connectOption = new Option<string?>("--connect") { Description = "HOST:PORT: run as a client instead (stdin lines in, answers out)" };
var parsed = new RootCommand("LineProtocol: a line-based protocol server (or client) on Akka.Streams TCP.") { portOption, hostOption, connectOption }.Parse(args);
var connect = parsed.Errors.Count == 0 ? parsed.GetValue(connectOption) : null;
var target = connect?.Split(':', 2);
if (parsed.Errors.Count > 0 || (target is not null && (target.Length != 2 || !ushort.TryParse(target[1], out _))))
{
    Console.Error.WriteLine(parsed.Errors.Count > 0 ? $"{parsed.Errors[0].Message} (see --help)" : $"--connect {connect}: expected HOST:PORT (see --help)");
    return 2;
}

if (parsed.Action is not null) return parsed.Invoke(); // --help, --version
var port = parsed.GetValue(portOption);
var host = parsed.GetValue(hostOption)!;

var system = ActorSystem.Create("lines", "akka.loglevel = WARNING");
var materializer = system.Materializer();

// Bytes in, lines out (and back): Akka.Streams' own framing, nothing Epsilon-specific.
var lines = BidiFlow.FromFlows(
    Framing.Delimiter(ByteString.FromString("\n"), MaxLine, allowTruncation: false).Select(b => b.ToString(Encoding.UTF8).TrimEnd('\r')),
    Flow.Create<string>().Select(s => ByteString.FromString(s + "\n", Encoding.UTF8)));

if (connect is not null)
{
    // Client mode: each stdin line is sent; each answer line is printed. Input end half-closes.
    var input = Source.FromEnumerator(() => ReadStdin().GetEnumerator());
    var done = input
        .Via(lines.Reversed().Join(system.EpsilonTcpStream().OutgoingConnection(target![0], ushort.Parse(target[1], System.Globalization.CultureInfo.InvariantCulture))))
        .RunForeach(Console.WriteLine, materializer);
    try
    {
        await done;
    }
    catch (Exception e)
    {
        Console.Error.WriteLine($"connection to {connect} failed: {e.GetBaseException().Message}");
        await system.Terminate();
        return 1;
    }

    await system.Terminate();
    return 0;
}

// The protocol: one answer per line; QUIT answers and then completes, which closes the connection.
var protocol = Flow.Create<string>()
    .TakeWhile(line => line != "QUIT", inclusive: true)
    .Select(Answer);
var handler = lines.Join(protocol);

Akka.Streams.Dsl.Tcp.ServerBinding binding;
try
{
    binding = await system.EpsilonTcpStream()
        .Bind(host, port)
        .To(Sink.ForEach<Akka.Streams.Dsl.Tcp.IncomingConnection>(connection => connection.Flow.Join(handler).Run(materializer)))
        .Run(materializer);
}
catch (Exception e)
{
    Console.Error.WriteLine($"cannot listen on {host}:{port}: {e.GetBaseException().Message}");
    await system.Terminate();
    return 1;
}

var io = EpsilonIo.For(system);
// Signals are taken before the listening line, so a Ctrl-C right after it is never missed.
var stop = new TaskCompletionSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
Console.WriteLine($"Line protocol server listening on {binding.LocalAddress} (backend {io.BackendName}). Ctrl-C to stop.");

await stop.Task;
Console.WriteLine("Stopping.");
await binding.Unbind();
await system.Terminate();
return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.TrySetResult();
}

static string Answer(string line)
{
    var space = line.IndexOf(' ');
    var command = space < 0 ? line : line[..space];
    var argument = space < 0 ? "" : line[(space + 1)..];
    return command switch
    {
        "PING" => "PONG",
        "ECHO" => argument,
        "UPPER" => argument.ToUpperInvariant(),
        "QUIT" => "BYE",
        _ => "ERR unknown command",
    };
}

static IEnumerable<string> ReadStdin()
{
    while (Console.ReadLine() is { } line) yield return line;
}
