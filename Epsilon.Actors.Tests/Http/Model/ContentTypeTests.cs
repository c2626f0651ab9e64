using Epsilon.Actors.Http.Model;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Model;

[Trait("Category", "Unit")]
public sealed class ContentTypeTests
{
    [Fact]
    public void Renders_the_charset_parameter()
    {
        Assert.Equal("text/plain; charset=utf-8", ContentType.TextPlainUtf8.Value);
        Assert.Equal("application/json", ContentType.ApplicationJson.Value);
        Assert.Equal("image/png", new ContentType("IMAGE/PNG").Value);
    }

    [Theory]
    [InlineData("text/html; charset=ISO-8859-1", "text/html", "ISO-8859-1")]
    [InlineData("Text/HTML;Charset=\"utf-8\"", "text/html", "utf-8")]
    [InlineData("application/json", "application/json", null)]
    [InlineData("multipart/form-data; boundary=x; charset=utf-8", "multipart/form-data", "utf-8")]
    public void Parses_media_type_and_charset(string value, string media, string? charset)
    {
        var parsed = ContentType.Parse(value)!;
        Assert.Equal(media, parsed.MediaType);
        Assert.Equal(charset, parsed.Charset);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("text")]
    [InlineData("/plain")]
    [InlineData("text/")]
    [InlineData("te xt/plain")]
    public void Parse_returns_null_for_values_without_type_and_subtype(string? value) =>
        Assert.Null(ContentType.Parse(value));

    [Fact]
    public void Equality_ignores_case_of_type_and_charset()
    {
        Assert.Equal(ContentType.Parse("TEXT/PLAIN; charset=UTF-8"), ContentType.TextPlainUtf8);
        Assert.NotEqual(ContentType.Parse("text/plain"), ContentType.TextPlainUtf8);
    }
}
