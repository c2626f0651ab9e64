using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Epsilon.Actors.Bench.Macro;

/// <summary>
/// The reference for the <c>tls</c> scenario: .NET's <see cref="SslStream"/> over a raw socket,
/// one async read/write loop per connection, echoing. Its certificate context is built once, so
/// .NET resumes sessions as it does for Epsilon's stage.
/// </summary>
internal sealed class PlainTlsEchoServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly SslServerAuthenticationOptions _options;
    private readonly Task _accepting;

    private PlainTlsEchoServer(X509Certificate2 certificate)
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(512);
        _options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(certificate, null, offline: true),
        };
        _accepting = AcceptLoop();
    }

    public EndPoint EndPoint => _listener.LocalEndPoint!;

    public static PlainTlsEchoServer Start(X509Certificate2 certificate) => new(certificate);

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        try
        {
            await _accepting;
        }
        catch (Exception)
        {
            // The accept pending when the listener closed.
        }

        _stop.Dispose();
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptAsync(_stop.Token);
            socket.NoDelay = true;
            _ = Task.Run(() => Serve(socket));
        }
    }

    private async Task Serve(Socket socket)
    {
        await using var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true));
        try
        {
            await ssl.AuthenticateAsServerAsync(_options, _stop.Token);
            var buffer = new byte[64 * 1024];
            int n;
            while ((n = await ssl.ReadAsync(buffer, _stop.Token)) > 0) await ssl.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            // The client went away; the next connection is unaffected.
        }
    }
}
