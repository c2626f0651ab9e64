using Akka.IO;
using Akka.Streams;
using Akka.Streams.Stage;
using Epsilon.Actors.Http.Connections;
using Epsilon.Actors.Http.Server;
using Epsilon.Actors.Http.Settings;

namespace Epsilon.Actors.Http.Http1;

/// <summary>
/// One HTTP/1.x server connection as a stream stage: bytes read from the transport come in,
/// bytes to write go out. It owns the pure core (<see cref="Parsing.Http1RequestParser"/>,
/// <see cref="Http1ServerStateMachine"/>, the writers, a <see cref="Rendering.DateHeaderCache"/>)
/// and the application's <see cref="ServerHandler"/>, and translates between them and the model.
/// Every rule (persistence, order, 100 Continue, which responses may be written, upgrades) is
/// the machine's; the stage does I/O. It is the HTTP/1.1 protocol of the connection contract
/// (<see cref="ServerConnection"/>): it registers for termination there, gives every request the
/// connection's <see cref="ConnectionInfo"/>, and on a 101 hands the connection to the upgrade's flow.
/// </summary>
/// <remarks>
/// <para>Requests are handled one at a time, in order: the next head is parsed only once the
/// previous response is written, from bytes already read if the client pipelined. A request
/// body is strict when it is small and already read with the head, else a streamed entity fed
/// through a sub-source: the connection is read only while that source is pulled, so a slow
/// handler slows the client through TCP's window. A streamed response is pulled one chunk at a
/// time as the transport asks for bytes.</para>
/// <para>Closing: the stage completes its output (a FIN once written), then reads and drops
/// input until the peer closes or <see cref="HttpServerSettings.LingerTimeout"/> passes, so unread client bytes do
/// not turn the close into a reset that could destroy the last response.</para>
/// </remarks>
internal sealed partial class Http1ServerStage : GraphStage<FlowShape<ByteString, ByteString>>
{
    private readonly HttpServerSettings _settings;
    private readonly Func<IMaterializer, ServerHandler> _handlerFactory;
    private readonly ServerConnection _connection;

    /// <summary>A stage serving <paramref name="connection"/>.</summary>
    public Http1ServerStage(HttpServerSettings settings, Func<IMaterializer, ServerHandler> handlerFactory, ServerConnection connection)
    {
        _settings = settings;
        _handlerFactory = handlerFactory;
        _connection = connection;
        Shape = new FlowShape<ByteString, ByteString>(In, Out);
    }

    /// <summary>Bytes from the transport.</summary>
    public Inlet<ByteString> In { get; } = new("Http1ServerStage.in");

    /// <summary>Bytes to the transport.</summary>
    public Outlet<ByteString> Out { get; } = new("Http1ServerStage.out");

    /// <inheritdoc />
    public override FlowShape<ByteString, ByteString> Shape { get; }

    /// <inheritdoc />
    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("http1-server");

    /// <inheritdoc />
    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);
}
