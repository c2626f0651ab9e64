using System.Buffers;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Epsilon.Actors.Bench.Peers;

/// <summary>Kestrel's raw TCP: a connection handler that copies its input pipe to its output pipe.</summary>
internal static class KestrelEchoServer
{
    public static async Task<WebApplication> StartAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseSockets(sockets => sockets.Backlog = 4096); // as Epsilon's min-backlog; Kestrel's default is 512
        builder.WebHost.ConfigureKestrel(options =>
            options.Listen(IPAddress.Loopback, port, listen => listen.UseConnectionHandler<EchoHandler>()));
        var app = builder.Build();
        await app.StartAsync();
        return app;
    }

    private sealed class EchoHandler : ConnectionHandler
    {
        public override async Task OnConnectedAsync(ConnectionContext connection)
        {
            var input = connection.Transport.Input;
            var output = connection.Transport.Output;
            while (true)
            {
                var result = await input.ReadAsync();
                var buffer = result.Buffer;
                foreach (var segment in buffer) output.Write(segment.Span);
                await output.FlushAsync();
                input.AdvanceTo(buffer.End);
                if (result.IsCompleted) break;
            }
        }
    }
}
