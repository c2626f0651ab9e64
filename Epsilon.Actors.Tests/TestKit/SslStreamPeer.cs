using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace Epsilon.Actors.Tests.TestKit;

/// <summary>
/// .NET's own <see cref="SslStream"/> over real loopback sockets: the independent TLS peer of the
/// stage and actor-adapter tests.
/// </summary>
public sealed class SslStreamPeer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly List<Task> _connections = [];

    private SslStreamPeer(TcpListener listener, Func<SslStream, Task> handle, SslServerAuthenticationOptions options)
    {
        _listener = listener;
        _acceptLoop = AcceptLoop(handle, options);
    }

    /// <summary>Where the server listens.</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Handshake failures the server saw (one per failed connection).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<Exception> Failures { get; } = new();

    /// <summary>A server on 127.0.0.1: each accepted connection is authenticated with <paramref name="options"/> then given to <paramref name="handle"/>.</summary>
    public static SslStreamPeer Serve(SslServerAuthenticationOptions options, Func<SslStream, Task> handle)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(512);
        return new SslStreamPeer(listener, handle, options);
    }

    /// <summary>An echo handler: copies everything back, then closes with close_notify.</summary>
    public static async Task Echo(SslStream stream)
    {
        var buffer = new byte[64 * 1024];
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0) await stream.WriteAsync(buffer.AsMemory(0, n));
        await stream.ShutdownAsync();
    }

    /// <summary>A client: connects to <paramref name="endPoint"/> and authenticates with <paramref name="options"/>.</summary>
    public static async Task<SslStream> ConnectAsync(EndPoint endPoint, SslClientAuthenticationOptions options, CancellationToken token = default)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endPoint, token);
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(options, token);
        }
        catch
        {
            await ssl.DisposeAsync();
            throw;
        }

        return ssl;
    }

    /// <summary>Reads until the end of the stream.</summary>
    public static async Task<byte[]> ReadToEndAsync(Stream stream)
    {
        var output = new MemoryStream();
        await stream.CopyToAsync(output);
        return output.ToArray();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (Exception)
        {
            // The listener was stopped under the pending accept.
        }

        Task[] connections;
        lock (_connections) connections = _connections.ToArray();
        await Task.WhenAny(Task.WhenAll(connections), Task.Delay(5000));
        _stop.Dispose();
    }

    private async Task AcceptLoop(Func<SslStream, Task> handle, SslServerAuthenticationOptions options)
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptSocketAsync(_stop.Token);
            socket.NoDelay = true;
            var task = Task.Run(async () =>
            {
                await using var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                    await ssl.AuthenticateAsServerAsync(options, timeout.Token);
                }
                catch (Exception ex)
                {
                    Failures.Enqueue(ex);
                    return;
                }

                try
                {
                    await handle(ssl);
                }
                catch (Exception ex)
                {
                    Failures.Enqueue(ex);
                }
            });
            lock (_connections) _connections.Add(task);
        }
    }
}
