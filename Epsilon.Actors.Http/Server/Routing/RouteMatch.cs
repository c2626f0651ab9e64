namespace Epsilon.Actors.Http.Server.Routing;

/// <summary>The outcome of <see cref="RouteTable.Match"/>.</summary>
/// <param name="Kind">What was decided.</param>
/// <param name="Route">The route to run, for <see cref="RouteMatchKind.Found"/> and <see cref="RouteMatchKind.HeadFromGet"/>.</param>
/// <param name="Values">Captured values, or null when the route captures nothing.</param>
/// <param name="Allow">The Allow header value, for <see cref="RouteMatchKind.MethodNotAllowed"/> and <see cref="RouteMatchKind.Options"/>.</param>
internal readonly record struct RouteMatch(RouteMatchKind Kind, RouteEntry? Route, Dictionary<string, string>? Values, string? Allow);
