// Serves a directory over HTTP/1.1: ranges, ETag / If-None-Match, Last-Modified, index.html,
// compression for text, one log line per request.
//
//   dotnet run --project examples/StaticFiles -- --port 8081 --root ./docs
//   curl -i http://127.0.0.1:8081/http.md
//   curl -r 0-99 http://127.0.0.1:8081/http.md     -> 206, the first 100 bytes
using System.CommandLine;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Akka.Actor;
using Epsilon.Actors.Http;
using Epsilon.Actors.Http.Server;
using Epsilon.Actors.Http.Server.Middleware;
using Epsilon.Actors.Http.Server.Routing;
using Epsilon.Actors.Http.Server.Static;

var portOption = new Option<ushort>("--port") { Description = "TCP port to listen on; 0 picks a free one", DefaultValueFactory = _ => 8081 };
var hostOption = new Option<string>("--host") { Description = "address to listen on", DefaultValueFactory = _ => "0.0.0.0" };
var rootOption = new Option<string>("--root") { Description = "directory to serve", DefaultValueFactory = _ => Directory.GetCurrentDirectory() };
var parsed = new RootCommand("StaticFiles: serves a directory over HTTP/1.1.") { portOption, hostOption, rootOption }.Parse(args);
if (parsed.Errors.Count > 0)
{
    Console.Error.WriteLine($"{parsed.Errors[0].Message} (see --help)");
    return 2;
}

if (parsed.Action is not null) return parsed.Invoke(); // --help, --version
var port = parsed.GetValue(portOption);
var host = parsed.GetValue(hostOption)!;
var root = Path.GetFullPath(parsed.GetValue(rootOption)!);
if (!Directory.Exists(root))
{
    Console.Error.WriteLine($"--root {root}: no such directory");
    return 2;
}

var system = ActorSystem.Create("static-files", "akka.loglevel = INFO");

var routes = new HttpRoutes()
    .Use(new RequestLoggingMiddleware(system.Log))
    .Use(new CompressionMiddleware())
    .Static("/", root, new StaticFileOptions { CacheControl = "no-cache" });

HttpServerBinding binding;
try
{
    binding = await system.Http().NewServerAt(host, port).Bind(routes);
}
catch (Exception e) when ((e as SocketException ?? e.InnerException as SocketException) is { } socket)
{
    Console.Error.WriteLine($"cannot listen on {host}:{port}: {socket.Message}");
    await system.Terminate();
    return 1;
}

// Signals are taken before the listening line, so a Ctrl-C right after it is never missed.
var stop = new TaskCompletionSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
Console.WriteLine($"StaticFiles listening on {binding.LocalAddress}, serving {root}. Ctrl-C to stop.");

await stop.Task;
Console.WriteLine("Stopping.");
await binding.Terminate(TimeSpan.FromSeconds(10));
await system.Terminate();
return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.TrySetResult();
}
