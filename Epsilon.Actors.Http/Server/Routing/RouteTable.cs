using Epsilon.Actors.Http.Model;

namespace Epsilon.Actors.Http.Server.Routing;

/// <summary>
/// Pure route selection. Routes are tried in registration order; the first whose pattern matches
/// the path and whose method matches wins. Then, in order (RFC 9110 §9.3.2, §9.3.7, §15.5.6):
/// <list type="number">
/// <item>HEAD with no HEAD route for the path runs the first matching GET route (<see cref="RouteMatchKind.HeadFromGet"/>).</item>
/// <item>OPTIONS with no OPTIONS route for the path answers with the allowed methods (<see cref="RouteMatchKind.Options"/>).</item>
/// <item>A path matched only by routes of other methods is <see cref="RouteMatchKind.MethodNotAllowed"/>.</item>
/// <item>Anything else is <see cref="RouteMatchKind.NotFound"/>.</item>
/// </list>
/// The allowed methods list every method of a matching route, adds HEAD when GET is there and
/// OPTIONS always, in registration order. Immutable once built; thread-safe.
/// </summary>
internal sealed class RouteTable
{
    private readonly RouteEntry[] _routes;

    /// <summary>A table of <paramref name="routes"/>, tried in the given order.</summary>
    public RouteTable(IEnumerable<RouteEntry> routes) => _routes = [.. routes];

    /// <summary>The number of routes.</summary>
    public int Count => _routes.Length;

    /// <summary>Selects the route for a request.</summary>
    public RouteMatch Match(HttpMethod method, string path)
    {
        RouteEntry? getFallback = null;
        Dictionary<string, string>? getValues = null;
        var anyPathMatch = false;
        foreach (var route in _routes)
        {
            if (!route.Pattern.TryMatch(path, out var values)) continue;
            anyPathMatch = true;
            if (route.Method is null || route.Method == method) return new RouteMatch(RouteMatchKind.Found, route, values, null);
            if (getFallback is null && method == HttpMethod.Head && route.Method == HttpMethod.Get)
            {
                getFallback = route;
                getValues = values;
            }
        }

        if (getFallback is not null) return new RouteMatch(RouteMatchKind.HeadFromGet, getFallback, getValues, null);
        if (!anyPathMatch) return new RouteMatch(RouteMatchKind.NotFound, null, null, null);
        var allowed = AllowedMethods(path);
        return method == HttpMethod.Options
            ? new RouteMatch(RouteMatchKind.Options, null, null, allowed)
            : new RouteMatch(RouteMatchKind.MethodNotAllowed, null, null, allowed);
    }

    /// <summary>The Allow header value for <paramref name="path"/>, e.g. <c>GET, HEAD, OPTIONS</c>.</summary>
    public string AllowedMethods(string path)
    {
        var methods = new List<string>(4);
        foreach (var route in _routes)
        {
            if (route.Method is null || !route.Pattern.TryMatch(path, out _)) continue;
            AddOnce(methods, route.Method.Name);
            if (route.Method == HttpMethod.Get) AddOnce(methods, HttpMethod.Head.Name);
        }

        AddOnce(methods, HttpMethod.Options.Name);
        return string.Join(", ", methods);
    }

    /// <summary>The Allow value for the whole server (<c>OPTIONS *</c>): every method any route takes.</summary>
    public string AllMethods()
    {
        var methods = new List<string>(4);
        foreach (var route in _routes)
        {
            if (route.Method is null) continue;
            AddOnce(methods, route.Method.Name);
            if (route.Method == HttpMethod.Get) AddOnce(methods, HttpMethod.Head.Name);
        }

        AddOnce(methods, HttpMethod.Options.Name);
        return string.Join(", ", methods);
    }

    private static void AddOnce(List<string> methods, string name)
    {
        if (!methods.Contains(name)) methods.Add(name);
    }
}
