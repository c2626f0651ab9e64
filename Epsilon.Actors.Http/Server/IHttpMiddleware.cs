namespace Epsilon.Actors.Http.Server;

/// <summary>
/// A layer around a handler: gets the request first and the response last. Middleware instances
/// are stateless or thread-safe, because one wrapped handler serves every connection.
/// </summary>
public interface IHttpMiddleware
{
    /// <summary>Returns a handler that does this middleware's work around <paramref name="next"/>.</summary>
    HttpHandler Wrap(HttpHandler next);
}
