using Akka.Event;
using Epsilon.Actors.Http.Connections;
using Epsilon.Actors.Http.Server;
using Epsilon.Actors.Http.Settings;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Server;

[Trait("Category", "Unit")]
public sealed class HttpServerConnectionsTests
{
    private static HttpServerConnections Create(long? limit = null) =>
        new(new HttpServerSettings { MaxConcurrentConnections = limit }, NoLogger.Instance);

    [Fact]
    public void Reserves_up_to_the_limit_and_frees_places_on_release()
    {
        var connections = Create(2);
        Assert.True(connections.TryReserve());
        Assert.True(connections.TryReserve());
        Assert.False(connections.TryReserve());
        Assert.Equal(2, connections.Count);
        connections.Release(null);
        Assert.True(connections.TryReserve());
        Assert.Equal(3, connections.Accepted);
    }

    [Fact]
    public void Termination_refuses_new_connections_and_asks_live_ones_to_close()
    {
        var connections = Create();
        var live = new RecordingConnection();
        Assert.True(connections.TryReserve());
        connections.Register(live);
        connections.BeginTermination();
        Assert.Equal(1, live.GracefulCloses);
        Assert.False(connections.TryReserve());
        Assert.False(connections.AllClosed.IsCompleted);
        connections.AbortAll();
        Assert.Equal(1, live.Aborts);
        connections.Release(live);
        Assert.True(connections.AllClosed.IsCompleted);
    }

    [Fact]
    public void A_connection_registering_during_termination_is_told_to_close_at_once()
    {
        var connections = Create();
        Assert.True(connections.TryReserve());
        connections.BeginTermination();
        var late = new RecordingConnection();
        connections.Register(late);
        Assert.Equal(1, late.GracefulCloses);
    }

    [Fact]
    public void Termination_without_connections_completes_at_once()
    {
        var connections = Create();
        connections.BeginTermination();
        Assert.True(connections.AllClosed.IsCompleted);
        Assert.True(connections.IsTerminating);
    }

    private sealed class RecordingConnection : IServerConnection
    {
        public int GracefulCloses;
        public int Aborts;

        public void BeginGracefulClose() => GracefulCloses++;

        public void Abort() => Aborts++;
    }
}
