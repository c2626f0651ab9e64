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
var port = 7001;
var host = "127.0.0.1";
string? connect = null;
for (var i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--port") port = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
    if (args[i] == "--host") host = args[i + 1];
    if (args[i] == "--connect") connect = args[i + 1];
}

using var system = ActorSystem.Create("lines", "akka.loglevel = WARNING");
var materializer = system.Materializer();

// Bytes in, lines out (and back): Akka.Streams' own framing, nothing Epsilon-specific.
var lines = BidiFlow.FromFlows(
    Framing.Delimiter(ByteString.FromString("\n"), MaxLine, allowTruncation: false).Select(b => b.ToString(Encoding.UTF8).TrimEnd('\r')),
    Flow.Create<string>().Select(s => ByteString.FromString(s + "\n", Encoding.UTF8)));

if (connect is not null)
{
    // Client mode: each stdin line is sent; each answer line is printed. Input end half-closes.
    var parts = connect.Split(':', 2);
    var input = Source.FromEnumerator(() => ReadStdin().GetEnumerator());
    var done = input
        .Via(lines.Reversed().Join(system.EpsilonTcpStream().OutgoingConnection(parts[0], int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture))))
        .RunForeach(Console.WriteLine, materializer);
    await done;
    return;
}

// The protocol: one answer per line; QUIT answers and then completes, which closes the connection.
var protocol = Flow.Create<string>()
    .TakeWhile(line => line != "QUIT", inclusive: true)
    .Select(Answer);
var handler = lines.Join(protocol);

var binding = await system.EpsilonTcpStream()
    .Bind(host, port)
    .To(Sink.ForEach<Akka.Streams.Dsl.Tcp.IncomingConnection>(connection => connection.Flow.Join(handler).Run(materializer)))
    .Run(materializer);
var io = EpsilonIo.For(system);
Console.WriteLine($"Line protocol server listening on {binding.LocalAddress} (backend {io.BackendName}). Ctrl-C to stop.");

var stop = new TaskCompletionSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
await stop.Task;
Console.WriteLine("Stopping.");
await binding.Unbind();
await system.Terminate();

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
