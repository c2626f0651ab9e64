using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server;
using Epsilon.Actors.Http.Server.Routing;
using Xunit;
using HttpMethod = Epsilon.Actors.Http.Model.HttpMethod;

namespace Epsilon.Actors.Tests.Http.Server.Routing;

[Trait("Category", "Unit")]
public sealed class RouteTableTests
{
    private static readonly HttpHandler s_ok = _ => new(HttpResponse.Status(200));

    private static RouteEntry Route(HttpMethod? method, string pattern) => new(method, RoutePattern.Parse(pattern), s_ok);

    [Fact]
    public void The_first_matching_route_wins()
    {
        var specific = Route(HttpMethod.Get, "/users/me");
        var general = Route(HttpMethod.Get, "/users/{id}");
        var table = new RouteTable([specific, general]);
        Assert.Same(specific, table.Match(HttpMethod.Get, "/users/me").Route);
        var match = table.Match(HttpMethod.Get, "/users/7");
        Assert.Same(general, match.Route);
        Assert.Equal("7", match.Values!["id"]);
    }

    [Fact]
    public void A_path_with_routes_of_other_methods_is_405_with_allow()
    {
        var table = new RouteTable([Route(HttpMethod.Get, "/x"), Route(HttpMethod.Post, "/x"), Route(HttpMethod.Delete, "/y")]);
        var match = table.Match(HttpMethod.Put, "/x");
        Assert.Equal(RouteMatchKind.MethodNotAllowed, match.Kind);
        Assert.Equal("GET, HEAD, POST, OPTIONS", match.Allow);
    }

    [Fact]
    public void An_unmatched_path_is_404()
    {
        var table = new RouteTable([Route(HttpMethod.Get, "/x")]);
        Assert.Equal(RouteMatchKind.NotFound, table.Match(HttpMethod.Get, "/z").Kind);
        Assert.Equal(RouteMatchKind.NotFound, table.Match(HttpMethod.Options, "/z").Kind);
    }

    [Fact]
    public void Head_runs_the_get_route_when_no_head_route_exists()
    {
        var get = Route(HttpMethod.Get, "/g/{id}");
        var table = new RouteTable([Route(HttpMethod.Post, "/g/{id}"), get]);
        var match = table.Match(HttpMethod.Head, "/g/1");
        Assert.Equal(RouteMatchKind.HeadFromGet, match.Kind);
        Assert.Same(get, match.Route);
        Assert.Equal("1", match.Values!["id"]);
    }

    [Fact]
    public void An_explicit_head_route_beats_the_get_fallback()
    {
        var head = Route(HttpMethod.Head, "/h");
        var table = new RouteTable([Route(HttpMethod.Get, "/h"), head]);
        var match = table.Match(HttpMethod.Head, "/h");
        Assert.Equal(RouteMatchKind.Found, match.Kind);
        Assert.Same(head, match.Route);
    }

    [Fact]
    public void Options_without_a_route_lists_the_allowed_methods()
    {
        var table = new RouteTable([Route(HttpMethod.Put, "/o"), Route(HttpMethod.Get, "/o")]);
        var match = table.Match(HttpMethod.Options, "/o");
        Assert.Equal(RouteMatchKind.Options, match.Kind);
        Assert.Equal("PUT, GET, HEAD, OPTIONS", match.Allow);
    }

    [Fact]
    public void An_explicit_options_route_is_used()
    {
        var options = Route(HttpMethod.Options, "/o");
        var table = new RouteTable([Route(HttpMethod.Get, "/o"), options]);
        Assert.Same(options, table.Match(HttpMethod.Options, "/o").Route);
    }

    [Fact]
    public void A_route_for_any_method_matches_every_method()
    {
        var any = Route(null, "/any");
        var table = new RouteTable([any]);
        Assert.Same(any, table.Match(HttpMethod.FromName("PROPFIND"), "/any").Route);
        Assert.Same(any, table.Match(HttpMethod.Delete, "/any").Route);
    }

    [Fact]
    public void All_methods_is_the_union_over_every_route()
    {
        var table = new RouteTable([Route(HttpMethod.Get, "/a"), Route(HttpMethod.Post, "/b"), Route(HttpMethod.Get, "/c")]);
        Assert.Equal("GET, HEAD, POST, OPTIONS", table.AllMethods());
    }
}
