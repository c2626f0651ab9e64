using System.Net;
using StreamTcp = Akka.Streams.Dsl.Tcp;

namespace Epsilon.Actors.Http.Server;

/// <summary>
/// A bound HTTP server: its address, and the two ways to stop it. <see cref="Unbind"/> only
/// stops accepting; <see cref="Terminate"/> also winds down the connections (Akka HTTP's
/// <c>terminate(hardDeadline)</c>, Kestrel's graceful shutdown). Thread-safe.
/// </summary>
public sealed class HttpServerBinding
{
    private readonly StreamTcp.ServerBinding _tcp;
    private readonly HttpServerConnections _connections;
    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _terminateStarted;

    internal HttpServerBinding(StreamTcp.ServerBinding tcp, HttpServerConnections connections)
    {
        _tcp = tcp;
        _connections = connections;
    }

    /// <summary>The address the listener is bound to (with the real port when 0 was asked for).</summary>
    public EndPoint LocalAddress => _tcp.LocalAddress;

    /// <summary>Connections currently served (for diagnostics and tests).</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>Connections accepted since binding, refused ones (over the limit, during termination) not counted.</summary>
    public long ConnectionsAccepted => _connections.Accepted;

    /// <summary>Completes when <see cref="Terminate"/> has finished: the listener is closed and no connection is left.</summary>
    public Task WhenTerminated => _terminated.Task;

    /// <summary>
    /// Stops accepting: the listener is closed (new connections are refused by the OS) when the
    /// task completes. Connections already accepted are served on until they close by themselves.
    /// </summary>
    public Task Unbind() => _tcp.Unbind();

    /// <summary>
    /// Graceful shutdown: stops accepting; requests in progress finish and their responses carry
    /// <c>Connection: close</c>; idle keep-alive connections are closed at once and no further
    /// request is read on any connection; at <paramref name="hardDeadline"/> every connection
    /// still open is closed, whatever it was doing. Completes (like <see cref="WhenTerminated"/>)
    /// when no connection is left. Calling it again returns the same termination.
    /// </summary>
    /// <param name="hardDeadline">How long in-flight requests get; zero closes everything at once.</param>
    public Task Terminate(TimeSpan hardDeadline)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hardDeadline, TimeSpan.Zero);
        if (Interlocked.Exchange(ref _terminateStarted, 1) == 0) _ = RunTermination(hardDeadline);
        return _terminated.Task;
    }

    private async Task RunTermination(TimeSpan hardDeadline)
    {
        try
        {
            _connections.BeginTermination();
            await _tcp.Unbind().ConfigureAwait(false);
            var cut = Task.Delay(hardDeadline);
            if (await Task.WhenAny(_connections.AllClosed, cut).ConfigureAwait(false) != _connections.AllClosed)
            {
                _connections.AbortAll();
                await _connections.AllClosed.ConfigureAwait(false);
            }

            _terminated.TrySetResult();
        }
        catch (Exception e)
        {
            _terminated.TrySetException(e);
        }
    }
}
