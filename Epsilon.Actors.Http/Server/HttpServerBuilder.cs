using Akka;
using Akka.Actor;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Epsilon.Actors.Http.Connections;
using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Settings;
using Epsilon.Actors.Io.Tls;

namespace Epsilon.Actors.Http.Server;

/// <summary>
/// Configures and binds one HTTP/1.1 server: <c>system.Http().NewServerAt(host, port)</c>, then
/// optionally <see cref="WithSettings(HttpServerSettings)"/> and <see cref="WithTransportLayer"/>,
/// then one of the <c>Bind</c> methods (or <see cref="ConnectionFlow"/> to bring your own
/// transport). Immutable: every <c>With…</c> returns a new builder, so one builder can bind
/// several servers. Thread-safe.
/// </summary>
/// <remarks>
/// The three kinds of application, as in Akka HTTP: an <see cref="HttpHandler"/> (or
/// <see cref="Routing.HttpRoutes"/>, which converts to one) called per request and guarded, so an
/// exception answers 500 for that request only; a <see cref="Flow{TIn,TOut,TMat}"/> materialized
/// once per connection, whose failure fails the connection; an actor asked per request.
/// </remarks>
public sealed class HttpServerBuilder
{
    private readonly EpsilonHttpExt _http;
    private readonly string _host;
    private readonly int _port;
    private readonly HttpServerSettings _settings;
    private readonly ServerTransport _transport;

    internal HttpServerBuilder(EpsilonHttpExt http, string host, int port, HttpServerSettings settings, ServerTransport? transport = null)
    {
        _http = http;
        _host = host;
        _port = port;
        _settings = settings;
        _transport = transport ?? ServerTransport.None;
    }

    /// <summary>The settings the server will use; <c>epsilon.http.server</c>'s unless replaced.</summary>
    public HttpServerSettings Settings => _settings;

    /// <summary>The actor system the server will run in (for layers that read its configuration).</summary>
    internal ActorSystem System => _http.System;

    /// <summary>A builder using <paramref name="settings"/> instead of the current ones.</summary>
    public HttpServerBuilder WithSettings(HttpServerSettings settings) =>
        new(_http, _host, _port, settings ?? throw new ArgumentNullException(nameof(settings)), _transport);

    /// <summary>A builder whose settings are <paramref name="change"/> applied to the current ones: <c>.WithSettings(s => s with { KeepAliveTimeout = … })</c>.</summary>
    public HttpServerBuilder WithSettings(Func<HttpServerSettings, HttpServerSettings> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return WithSettings(change(_settings));
    }

    /// <summary>
    /// A builder with <paramref name="layer"/> inserted between HTTP and TCP, below any layer
    /// added before (closer to the wire). The layer's top is outbound (bytes HTTP renders →
    /// bytes toward TCP) and its bottom inbound (bytes from TCP → bytes HTTP parses), the
    /// orientation of Akka's TLS BidiFlow; it is materialized once per connection. HTTPS and
    /// byte logging are layers of this kind.
    /// </summary>
    public HttpServerBuilder WithTransportLayer(BidiFlow<ByteString, ByteString, ByteString, ByteString, NotUsed> layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        return new HttpServerBuilder(_http, _host, _port, _settings, _transport.WithLayer(layer));
    }

    /// <summary>A builder serving TLS below the layers so far (<see cref="HttpsServerBuilderExtensions.EnableHttps(HttpServerBuilder, TlsServerOptions)"/>).</summary>
    internal HttpServerBuilder WithTls(TlsServerOptions options) => new(_http, _host, _port, _settings, _transport.WithTls(options));

    /// <summary>A builder whose protocol switch may also choose <paramref name="protocol"/> (tests; HTTP/2 later).</summary>
    internal HttpServerBuilder WithProtocol(ServerProtocol protocol) => new(_http, _host, _port, _settings, _transport.WithProtocol(protocol));

    /// <summary>
    /// Binds and answers every request with <paramref name="handler"/>, guarded: an exception or a
    /// faulted task answers 500 (503 for timeouts, 413 for <see cref="EntityTooLargeException"/>)
    /// for that request only. Completes when the port is bound; fails with the bind error
    /// (for example address in use) otherwise.
    /// </summary>
    /// <remarks>
    /// The handler is called where <see cref="HttpServerSettings.HandlerDispatcher"/> says: Akka's
    /// default dispatcher unless configured otherwise; an unknown dispatcher id fails the
    /// returned task with an <see cref="ArgumentException"/> naming the setting.
    /// </remarks>
    public Task<HttpServerBinding> Bind(HttpHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        HttpHandler dispatched;
        try
        {
            dispatched = HandlerDispatch.On(_http.System, _settings.HandlerDispatcher, HttpHandlers.Guard(handler, _http.System.Log));
        }
        catch (ArgumentException e)
        {
            return Task.FromException<HttpServerBinding>(e);
        }

        var shared = new ServerHandler(dispatched, false, null);
        return BindWith(_ => shared);
    }

    /// <summary>
    /// Binds and runs <paramref name="flow"/> once per connection: requests go in one at a time,
    /// and each must be answered (in order) before the next is read. A failing or completing flow
    /// ends the connection (responses already written stay written).
    /// </summary>
    public Task<HttpServerBinding> Bind(Flow<HttpRequest, HttpResponse, NotUsed> flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        return BindWith(materializer => FlowHandlerAdapter.Create(flow, materializer, _http.System.Log));
    }

    /// <summary>
    /// Binds and asks <paramref name="handler"/> with each <see cref="HttpRequest"/>; it must reply
    /// with an <see cref="HttpResponse"/> within <paramref name="askTimeout"/>, else the client gets
    /// 503. Any other reply, or a <see cref="Status.Failure"/>, answers 500.
    /// </summary>
    /// <remarks>The ask is sent from the connection's loop thread (it does not block); the actor runs on its own dispatcher, whatever <see cref="HttpServerSettings.HandlerDispatcher"/> says.</remarks>
    public Task<HttpServerBinding> Bind(IActorRef handler, TimeSpan askTimeout)
    {
        var shared = new ServerHandler(HttpHandlers.Guard(HttpHandlers.FromActor(handler, askTimeout), _http.System.Log), false, null);
        return BindWith(_ => shared);
    }

    /// <summary>
    /// The server for one connection as a byte flow (bytes read in, bytes to write out), for a
    /// transport of your own; the transport layers are included. Each materialization serves one
    /// connection; the handler is guarded as in <see cref="Bind(HttpHandler)"/>. The flow
    /// completes when the connection should close (after reading and dropping the peer's input
    /// for up to 2 s, so a transport with half-close lets the last response arrive).
    /// <see cref="HttpServerSettings.MaxConcurrentConnections"/> and termination do not apply:
    /// they belong to a binding. The server cannot know the transport's addresses, so
    /// <c>request.Connection</c> has none (<see cref="ConnectionInfo.RemoteEndPoint"/> and
    /// <see cref="ConnectionInfo.LocalEndPoint"/> are null); with HTTPS enabled its TLS session is known.
    /// The handler is called where <see cref="HttpServerSettings.HandlerDispatcher"/> says.
    /// </summary>
    /// <exception cref="ArgumentException">The handler dispatcher is not configured.</exception>
    public Flow<ByteString, ByteString, NotUsed> ConnectionFlow(HttpHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var dispatched = HandlerDispatch.On(_http.System, _settings.HandlerDispatcher, HttpHandlers.Guard(handler, _http.System.Log));
        var shared = new ServerHandler(dispatched, false, null);
        return ServerBlueprint.Connection(_settings, _ => shared, _transport, ConnectionInfo.Unknown, connections: null);
    }

    private async Task<HttpServerBinding> BindWith(Func<IMaterializer, ServerHandler> handlerFactory)
    {
        var connections = new HttpServerConnections(_settings, _http.System.Log);
        var binding = await ServerBlueprint
            .Bind(_http.System, _http.Materializer, _host, _port, _settings, handlerFactory, _transport, connections)
            .ConfigureAwait(false);
        return new HttpServerBinding(binding, connections);
    }
}
