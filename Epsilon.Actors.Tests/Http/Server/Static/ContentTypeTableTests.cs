using Epsilon.Actors.Http.Server.Static;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Server.Static;

[Trait("Category", "Unit")]
public sealed class ContentTypeTableTests
{
    [Theory]
    [InlineData("index.html", "text/html; charset=utf-8")]
    [InlineData("site.CSS", "text/css; charset=utf-8")]
    [InlineData("app.mjs", "text/javascript; charset=utf-8")]
    [InlineData("data.json", "application/json; charset=utf-8")]
    [InlineData("logo.svg", "image/svg+xml; charset=utf-8")]
    [InlineData("photo.jpeg", "image/jpeg")]
    [InlineData("font.woff2", "font/woff2")]
    [InlineData("module.wasm", "application/wasm")]
    [InlineData("archive.tar.gz", "application/gzip")]
    public void Maps_extensions_to_content_types(string file, string expected) =>
        Assert.Equal(expected, ContentTypeTable.ForFileName(file)!.Value);

    [Theory]
    [InlineData("README")]
    [InlineData("x.unknownext")]
    [InlineData("trailingdot.")]
    public void Unknown_extensions_have_no_type(string file) => Assert.Null(ContentTypeTable.ForFileName(file));

    [Fact]
    public void Extensions_work_with_or_without_the_dot()
    {
        Assert.Same(ContentTypeTable.ForExtension(".png"), ContentTypeTable.ForExtension("PNG"));
    }
}
