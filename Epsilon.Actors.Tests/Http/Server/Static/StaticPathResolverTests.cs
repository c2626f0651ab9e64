using Epsilon.Actors.Http.Server.Static;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Server.Static;

[Trait("Category", "Unit")]
public sealed class StaticPathResolverTests : IDisposable
{
    private readonly TempWebRoot _web = new();

    public StaticPathResolverTests()
    {
        _web.Write("index.html", "<h1>home</h1>");
        _web.Write("css/site.css", "body{}");
        _web.Write("dir with space/a b.txt", "spaced");
        _web.Write(".env", "SECRET=1");
        _web.Write("caf\u00e9.txt", "accent");
        _web.WriteOutside("secret.txt", "top secret");
    }

    public void Dispose() => _web.Dispose();

    private StaticPathResult Resolve(string path, bool dotFiles = false) => new StaticPathResolver(_web.Root, dotFiles).Resolve(path);

    [Theory]
    [InlineData("index.html", "index.html")]
    [InlineData("css/site.css", "css/site.css")]
    [InlineData("dir%20with%20space/a%20b.txt", "dir with space/a b.txt")]
    [InlineData("caf%C3%A9.txt", "caf\u00e9.txt")]
    public void Resolves_files_under_the_root(string path, string relative)
    {
        var result = Resolve(path);
        Assert.Equal(StaticPathKind.File, result.Kind);
        Assert.Equal(Path.Combine(_web.Root, relative), result.FullPath);
    }

    [Theory]
    [InlineData("")]
    [InlineData("css")]
    [InlineData("css/")]
    public void Resolves_directories(string path) => Assert.Equal(StaticPathKind.Directory, Resolve(path).Kind);

    [Theory]
    [InlineData("../outside/secret.txt")]
    [InlineData("%2e%2e/outside/secret.txt")]
    [InlineData("%2E%2E%2Foutside%2Fsecret.txt")]
    [InlineData("css/../../outside/secret.txt")]
    [InlineData("css/%2e%2e/%2e%2e/outside/secret.txt")]
    [InlineData("..%5Coutside%5Csecret.txt")]
    [InlineData("css\\..\\..\\outside\\secret.txt")]
    [InlineData("./index.html")]
    [InlineData("css//site.css")]
    [InlineData("index.html%00.txt")]
    [InlineData("%ZZ")]
    [InlineData("abc%4")]
    [InlineData("C:%5Cwindows")]
    [InlineData("%2Fetc%2Fpasswd")]
    public void Refuses_traversal_and_malformed_paths_as_bad_request(string path) =>
        Assert.Equal(StaticPathKind.BadRequest, Resolve(path).Kind);

    [Theory]
    [InlineData("missing.txt")]
    [InlineData("css/missing.css")]
    [InlineData("index.html/")]
    [InlineData("index.html/more")]
    public void Missing_entries_are_not_found(string path) => Assert.Equal(StaticPathKind.NotFound, Resolve(path).Kind);

    [Fact]
    public void Dot_files_are_hidden_unless_allowed()
    {
        Assert.Equal(StaticPathKind.NotFound, Resolve(".env").Kind);
        Assert.Equal(StaticPathKind.NotFound, Resolve("%2Eenv").Kind);
        Assert.Equal(StaticPathKind.File, Resolve(".env", dotFiles: true).Kind);
    }

    [Fact]
    public void A_symlinked_file_outside_the_root_is_not_found()
    {
        _web.Link("leak.txt", Path.Combine(_web.Outside, "secret.txt"));
        Assert.Equal(StaticPathKind.NotFound, Resolve("leak.txt").Kind);
    }

    [Fact]
    public void A_symlinked_directory_outside_the_root_is_not_found_at_any_depth()
    {
        _web.Link("css/escape", _web.Outside);
        Assert.Equal(StaticPathKind.NotFound, Resolve("css/escape/secret.txt").Kind);
        Assert.Equal(StaticPathKind.NotFound, Resolve("css/escape").Kind);
    }

    [Fact]
    public void A_chain_of_links_ending_outside_the_root_is_not_found()
    {
        var hop = Path.Combine(_web.Root, "hop.txt");
        File.CreateSymbolicLink(hop, Path.Combine(_web.Outside, "secret.txt"));
        _web.Link("chain.txt", hop);
        Assert.Equal(StaticPathKind.NotFound, Resolve("chain.txt").Kind);
    }

    [Fact]
    public void A_dangling_link_is_not_found()
    {
        _web.Link("dangling.txt", Path.Combine(_web.Root, "does-not-exist"));
        Assert.Equal(StaticPathKind.NotFound, Resolve("dangling.txt").Kind);
    }

    [Fact]
    public void Links_that_stay_inside_the_root_are_followed()
    {
        _web.Link("alias.css", Path.Combine(_web.Root, "css", "site.css"));
        _web.Link("styles", Path.Combine(_web.Root, "css"));
        Assert.Equal(Path.Combine(_web.Root, "css", "site.css"), Resolve("alias.css").FullPath);
        Assert.Equal(StaticPathKind.File, Resolve("styles/site.css").Kind);
    }

    [Fact]
    public void A_root_reached_through_a_link_is_served_from_its_real_path()
    {
        var linkedRoot = Path.Combine(_web.Base, "linked-root");
        Directory.CreateSymbolicLink(linkedRoot, _web.Root);
        var resolver = new StaticPathResolver(linkedRoot, allowDotFiles: false);
        Assert.Equal(_web.Root, resolver.Root);
        Assert.Equal(StaticPathKind.File, resolver.Resolve("css/site.css").Kind);
    }

    [Fact]
    public void A_missing_root_is_refused_at_construction() =>
        Assert.Throws<DirectoryNotFoundException>(() => new StaticPathResolver(Path.Combine(_web.Base, "nope"), false));
}
