using Epsilon.Actors.Http.Model;
using Xunit;
using HttpMethod = Epsilon.Actors.Http.Model.HttpMethod;

namespace Epsilon.Actors.Tests.Http.Model;

[Trait("Category", "Unit")]
public sealed class HttpRequestTests
{
    [Theory]
    [InlineData("/a/b?x=1&y=2", "/a/b", "x=1&y=2")]
    [InlineData("/a/b", "/a/b", "")]
    [InlineData("/?", "/", "")]
    [InlineData("http://example.org:8080/p/q?z", "/p/q", "z")]
    [InlineData("http://example.org", "/", "")]
    [InlineData("http://example.org?k=v", "/", "k=v")]
    [InlineData("*", "*", "")]
    [InlineData("example.org:443", "example.org:443", "")]
    public void Splits_the_target_into_path_and_query(string target, string path, string query)
    {
        var request = new HttpRequest(HttpMethod.Get, target);
        Assert.Equal(path, request.Path);
        Assert.Equal(query, request.Query);
    }

    [Fact]
    public void An_origin_form_target_without_query_is_its_own_path()
    {
        var target = "/no/query";
        Assert.Same(target, new HttpRequest(HttpMethod.Get, target).Path);
    }

    [Fact]
    public void Query_parameters_are_decoded()
    {
        var request = new HttpRequest(HttpMethod.Get, "/s?q=a+b%20c&flag&x=%C3%A9");
        Assert.Equal("a b c", request.QueryParam("q"));
        Assert.Equal("", request.QueryParam("flag"));
        Assert.Equal("\u00e9", request.QueryParam("x"));
        Assert.Null(request.QueryParam("missing"));
    }

    [Fact]
    public void With_methods_copy_and_leave_the_original_unchanged()
    {
        var original = new HttpRequest(HttpMethod.Post, "/x", HttpHeaders.Of(("Host", "h")));
        var changed = original.WithMethod(HttpMethod.Get).WithHeaders(HttpHeaders.Empty)
            .WithRouteValues(new Dictionary<string, string> { ["id"] = "7" });
        Assert.Same(HttpMethod.Post, original.Method);
        Assert.Equal("h", original.Host);
        Assert.Null(original.Param("id"));
        Assert.Same(HttpMethod.Get, changed.Method);
        Assert.Null(changed.Host);
        Assert.Equal("7", changed.Param("id"));
        Assert.Equal("/x", changed.Path);
    }
}
