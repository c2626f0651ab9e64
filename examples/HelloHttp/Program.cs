// A small HTTP/1.1 server on Epsilon's event loops: a plain-text hello, a JSON API, a webhook
// that reads its body, and static files.
//
//   dotnet run --project examples/HelloHttp -- --port 8080
//   curl http://127.0.0.1:8080/                     -> Hello, World!
//   curl http://127.0.0.1:8080/api/users/7          -> {"path":"users/7"}
//   curl -d '{"event":"push"}' http://127.0.0.1:8080/webhook
//   curl http://127.0.0.1:8080/assets/              -> index.html
using System.CommandLine;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Streams;
using Epsilon.Actors.Http;
using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server;
using Epsilon.Actors.Http.Server.Middleware;
using Epsilon.Actors.Http.Server.Routing;

var portOption = new Option<ushort>("--port") { Description = "TCP port to listen on; 0 picks a free one", DefaultValueFactory = _ => 8080 };
var hostOption = new Option<string>("--host") { Description = "address to listen on", DefaultValueFactory = _ => "0.0.0.0" };
var parsed = new RootCommand("HelloHttp: a small HTTP/1.1 server on Epsilon's event loops.") { portOption, hostOption }.Parse(args);
if (parsed.Errors.Count > 0)
{
    Console.Error.WriteLine($"{parsed.Errors[0].Message} (see --help)");
    return 2;
}

if (parsed.Action is not null) return parsed.Invoke(); // --help, --version
var port = parsed.GetValue(portOption);
var host = parsed.GetValue(hostOption)!;

var system = ActorSystem.Create("hello-http", "akka.loglevel = INFO");
var materializer = system.Materializer();

// A cached response: returning it costs no allocation.
var hello = HttpResponse.Text("Hello, World!");

var routes = new HttpRoutes()
    .Use(new RequestTimeoutMiddleware(TimeSpan.FromSeconds(30)))
    .Get("/", _ => hello)
    .Get("/api/*", req => HttpResponse.Json(new { path = req.Param("*") }))
    .Post("/webhook", async req =>
    {
        // At most 64 KiB, within 5 s; a larger body answers 413, a slower one 503.
        var body = await req.Entity.ToStrictAsync(64 * 1024, TimeSpan.FromSeconds(5), materializer);
        Console.WriteLine($"webhook: {body.Data.Count} bytes of {body.ContentType?.Value ?? "untyped"} from {req.RemoteEndPoint}");
        return HttpResponse.Json(new { received = body.Data.Count });
    })
    .Static("/assets", Path.Combine(AppContext.BaseDirectory, "wwwroot"));

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
Console.WriteLine($"HelloHttp listening on {binding.LocalAddress}. Ctrl-C to stop.");

await stop.Task;

// Graceful: requests in flight get up to 10 s, idle connections close now.
Console.WriteLine("Stopping.");
await binding.Terminate(TimeSpan.FromSeconds(10));
await system.Terminate();
return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.TrySetResult();
}
