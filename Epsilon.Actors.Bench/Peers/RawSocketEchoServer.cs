using System.Net;
using System.Net.Sockets;

namespace Epsilon.Actors.Bench.Peers;

/// <summary>The plain .NET baseline: async accept, and per connection a receive/send loop.</summary>
internal static class RawSocketEchoServer
{
    public static Socket Start(int port)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        listener.Listen(4096);
        _ = Task.Run(async () =>
        {
            while (true)
            {
                Socket client;
                try
                {
                    client = await listener.AcceptAsync();
                }
                catch (ObjectDisposedException)
                {
                    return;
                }

                client.NoDelay = true;
                _ = Echo(client);
            }
        });
        return listener;
    }

    private static async Task Echo(Socket socket)
    {
        var buffer = new byte[65536];
        try
        {
            while (true)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None);
                if (n == 0) break;
                var sent = 0;
                while (sent < n) sent += await socket.SendAsync(buffer.AsMemory(sent, n - sent), SocketFlags.None);
            }
        }
        catch (SocketException)
        {
        }
        finally
        {
            socket.Dispose();
        }
    }
}
