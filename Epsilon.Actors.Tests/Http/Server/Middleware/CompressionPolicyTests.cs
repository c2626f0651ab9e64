using Akka.IO;
using Akka.Streams.Dsl;
using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server.Middleware;
using Xunit;
using HttpMethod = Epsilon.Actors.Http.Model.HttpMethod;

namespace Epsilon.Actors.Tests.Http.Server.Middleware;

[Trait("Category", "Unit")]
public sealed class CompressionPolicyTests
{
    private static readonly CompressionOptions s_options = CompressionOptions.Default;
    private static readonly string s_big = new('a', 4096);

    [Theory]
    [InlineData("text/html", true)]
    [InlineData("text/css", true)]
    [InlineData("application/json", true)]
    [InlineData("application/problem+json", true)]
    [InlineData("application/atom+xml", true)]
    [InlineData("image/svg+xml", true)]
    [InlineData("application/wasm", true)]
    [InlineData("image/png", false)]
    [InlineData("image/jpeg", false)]
    [InlineData("video/mp4", false)]
    [InlineData("application/zip", false)]
    [InlineData("application/gzip", false)]
    [InlineData("font/woff2", false)]
    [InlineData("application/octet-stream", false)]
    public void Compresses_text_like_types_and_skips_compressed_ones(string media, bool expected) =>
        Assert.Equal(expected, CompressionPolicy.IsCompressible(new ContentType(media), s_options));

    [Fact]
    public void A_response_without_content_type_is_not_compressible() =>
        Assert.False(CompressionPolicy.IsCompressible(null, s_options));

    [Fact]
    public void Large_text_is_compressed()
    {
        Assert.True(CompressionPolicy.ShouldCompress(HttpMethod.Get, HttpResponse.Text(s_big), s_options));
    }

    [Fact]
    public void Bodies_shorter_than_the_minimum_are_not_compressed()
    {
        Assert.False(CompressionPolicy.ShouldCompress(HttpMethod.Get, HttpResponse.Text("tiny"), s_options));
        Assert.True(CompressionPolicy.ShouldCompress(HttpMethod.Get, HttpResponse.Text("tiny"), s_options with { MinimumLength = 0 }));
    }

    [Fact]
    public void Streams_of_unknown_length_are_compressed()
    {
        var response = HttpResponse.Stream(Source.Single(ByteString.FromString("x")), ContentType.TextPlainUtf8);
        Assert.True(CompressionPolicy.ShouldCompress(HttpMethod.Get, response, s_options));
    }

    [Fact]
    public void Head_no_content_not_modified_partial_encoded_and_no_transform_are_skipped()
    {
        var text = HttpResponse.Text(s_big);
        Assert.False(CompressionPolicy.ShouldCompress(HttpMethod.Head, text, s_options));
        Assert.False(CompressionPolicy.ShouldCompress(HttpMethod.Get, text.WithStatus(206), s_options));
        Assert.False(CompressionPolicy.ShouldCompress(HttpMethod.Get, text.WithStatus(304), s_options));
        Assert.False(CompressionPolicy.ShouldCompress(HttpMethod.Get, text.SetHeader("Content-Encoding", "gzip"), s_options));
        Assert.False(CompressionPolicy.ShouldCompress(HttpMethod.Get, text.SetHeader("Content-Range", "bytes 0-1/2"), s_options));
        Assert.False(CompressionPolicy.ShouldCompress(HttpMethod.Get, text.SetHeader("Cache-Control", "public, no-transform"), s_options));
    }

    [Fact]
    public void Options_validate_their_ranges()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => s_options with { MinimumLength = -1 });
        Assert.Throws<ArgumentException>(() => s_options with { Codings = [] });
        Assert.Throws<ArgumentException>(() => s_options with { Codings = [ContentCoding.Identity] });
    }
}
