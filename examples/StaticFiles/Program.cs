// Serves a directory over HTTP/1.1: ranges, ETag / If-None-Match, Last-Modified, index.html,
// compression for text, one log line per request.
//
//   dotnet run --project examples/StaticFiles -- --port 8081 --root ./docs
//   curl -i http://127.0.0.1:8081/http.md
//   curl -r 0-99 http://127.0.0.1:8081/http.md     -> 206, the first 100 bytes
using System.Runtime.InteropServices;
using Akka.Actor;
using Epsilon.Actors.Http;
using Epsilon.Actors.Http.Server.Middleware;
using Epsilon.Actors.Http.Server.Routing;
using Epsilon.Actors.Http.Server.Static;

var port = 8081;
var host = "0.0.0.0";
var root = Directory.GetCurrentDirectory();
for (var i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--port") port = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
    if (args[i] == "--host") host = args[i + 1];
    if (args[i] == "--root") root = Path.GetFullPath(args[i + 1]);
}

if (!Directory.Exists(root))
{
    Console.Error.WriteLine($"--root {root}: no such directory");
    return 2;
}

using var system = ActorSystem.Create("static-files", "akka.loglevel = INFO");

var routes = new HttpRoutes()
    .Use(new RequestLoggingMiddleware(system.Log))
    .Use(new CompressionMiddleware())
    .Static("/", root, new StaticFileOptions { CacheControl = "no-cache" });

var binding = await system.Http().NewServerAt(host, port).Bind(routes);
Console.WriteLine($"StaticFiles listening on {binding.LocalAddress}, serving {root}. Ctrl-C to stop.");

var stop = new TaskCompletionSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
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
