using Epsilon.Actors.Http.Model;

namespace Epsilon.Actors.Http.Server.Routing;

/// <summary>One route: a method (null for any), a pattern and the handler to run.</summary>
internal sealed record RouteEntry(HttpMethod? Method, RoutePattern Pattern, HttpHandler Handler)
{
    /// <summary>"GET /users/{id}".</summary>
    public override string ToString() => $"{Method?.Name ?? "*"} {Pattern.Text}";
}
