using Epsilon.Actors.Http.Server.Routing;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Server.Routing;

[Trait("Category", "Unit")]
public sealed class RoutePatternTests
{
    [Theory]
    [InlineData("/", "/", true)]
    [InlineData("/", "/a", false)]
    [InlineData("/users", "/users", true)]
    [InlineData("/users", "/users/", false)]
    [InlineData("/users/", "/users/", true)]
    [InlineData("/users", "/Users", false)]
    [InlineData("/users", "/users/1", false)]
    [InlineData("/a/b", "/a", false)]
    [InlineData("/caf\u00e9", "/caf%C3%A9", true)]
    public void Literals_match_whole_segments_case_sensitively(string pattern, string path, bool matches) =>
        Assert.Equal(matches, RoutePattern.Parse(pattern).TryMatch(path, out _));

    [Fact]
    public void Parameters_capture_one_decoded_segment()
    {
        var pattern = RoutePattern.Parse("/users/{id}/posts/{post}");
        Assert.True(pattern.TryMatch("/users/42/posts/a%20b", out var values));
        Assert.Equal("42", values!["id"]);
        Assert.Equal("a b", values["post"]);
        Assert.False(pattern.TryMatch("/users//posts/x", out _));
        Assert.False(pattern.TryMatch("/users/42/posts", out _));
        Assert.False(pattern.TryMatch("/users/42/posts/x/y", out _));
    }

    [Fact]
    public void An_encoded_slash_stays_inside_its_parameter()
    {
        Assert.True(RoutePattern.Parse("/files/{name}").TryMatch("/files/a%2Fb", out var values));
        Assert.Equal("a/b", values!["name"]);
    }

    [Theory]
    [InlineData("/api", "")]
    [InlineData("/api/", "")]
    [InlineData("/api/x", "x")]
    [InlineData("/api/x/y%20z", "x/y%20z")]
    public void A_trailing_wildcard_captures_the_rest_encoded(string path, string rest)
    {
        Assert.True(RoutePattern.Parse("/api/*").TryMatch(path, out var values));
        Assert.Equal(rest, values!["*"]);
    }

    [Theory]
    [InlineData("/apix")]
    [InlineData("/ap")]
    [InlineData("/")]
    public void A_trailing_wildcard_needs_its_prefix_segments(string path) =>
        Assert.False(RoutePattern.Parse("/api/*").TryMatch(path, out _));

    [Fact]
    public void A_named_wildcard_captures_under_its_name()
    {
        Assert.True(RoutePattern.Parse("/static/{*file}").TryMatch("/static/css/site.css", out var values));
        Assert.Equal("css/site.css", values!["file"]);
        Assert.True(RoutePattern.Parse("/{**all}").TryMatch("/x", out values));
        Assert.Equal("x", values!["all"]);
    }

    [Fact]
    public void A_root_wildcard_matches_every_path()
    {
        var pattern = RoutePattern.Parse("/*");
        Assert.True(pattern.TryMatch("/", out _));
        Assert.True(pattern.TryMatch("/a/b/c", out _));
    }

    [Fact]
    public void A_pattern_without_captures_allocates_no_values()
    {
        Assert.True(RoutePattern.Parse("/a/b").TryMatch("/a/b", out var values));
        Assert.Null(values);
    }

    [Theory]
    [InlineData("users")]
    [InlineData("/a/*/b")]
    [InlineData("/{}")]
    [InlineData("/{a}/{a}")]
    [InlineData("/x{id}")]
    [InlineData("/a*")]
    [InlineData("/{*}")]
    public void Rejects_malformed_patterns(string pattern) =>
        Assert.Throws<ArgumentException>(() => RoutePattern.Parse(pattern));

    [Theory]
    [InlineData("")]
    [InlineData("*")]
    [InlineData("relative/path")]
    public void Paths_that_do_not_start_with_a_slash_never_match(string path) =>
        Assert.False(RoutePattern.Parse("/*").TryMatch(path, out _));
}
