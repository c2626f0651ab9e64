namespace Epsilon.Actors.Http.Server.Routing;

/// <summary>Kinds of <see cref="RouteMatch"/>.</summary>
internal enum RouteMatchKind
{
    /// <summary>No route's pattern matches the path: 404.</summary>
    NotFound,
    /// <summary>A route matches path and method.</summary>
    Found,
    /// <summary>HEAD answered by a GET route; the server sends its headers without the body.</summary>
    HeadFromGet,
    /// <summary>Patterns match but no method does: 405 with Allow.</summary>
    MethodNotAllowed,
    /// <summary>OPTIONS on a path with no OPTIONS route: 204 with Allow.</summary>
    Options,
}
