using Epsilon.Actors.Http.Model;

namespace Epsilon.Actors.Http.Server;

/// <summary>
/// The one shape every server-side handler takes: a request in, a response out. Routes
/// (<see cref="Routing.HttpRoutes"/>), middleware-wrapped pipelines and plain functions all become an
/// <see cref="HttpHandler"/> (see <see cref="HttpHandlers"/>). It returns a <see cref="ValueTask{TResult}"/>
/// so a synchronous handler returning a cached response allocates nothing. A handler may be called
/// concurrently for requests of different connections, so it must be thread-safe.
/// </summary>
/// <param name="request">The request; its entity must be read or discarded before the connection can carry the next one.</param>
public delegate ValueTask<HttpResponse> HttpHandler(HttpRequest request);
