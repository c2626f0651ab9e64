using Epsilon.Actors.Http.Server.Middleware;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Server.Middleware;

[Trait("Category", "Unit")]
public sealed class AcceptEncodingNegotiatorTests
{
    private static readonly ContentCoding[] s_brFirst = [ContentCoding.Brotli, ContentCoding.Gzip];
    private static readonly ContentCoding[] s_gzipOnly = [ContentCoding.Gzip];

    [Theory]
    [InlineData(null, nameof(ContentCoding.Identity))]
    [InlineData("", nameof(ContentCoding.Identity))]
    [InlineData("gzip", nameof(ContentCoding.Gzip))]
    [InlineData("x-gzip", nameof(ContentCoding.Gzip))]
    [InlineData("GZIP", nameof(ContentCoding.Gzip))]
    [InlineData("br", nameof(ContentCoding.Brotli))]
    [InlineData("gzip, deflate, br", nameof(ContentCoding.Brotli))]
    [InlineData("gzip;q=1.0, br;q=0.5", nameof(ContentCoding.Gzip))]
    [InlineData("gzip;q=0.4, br;q=0.5", nameof(ContentCoding.Brotli))]
    [InlineData("br;q=0, gzip", nameof(ContentCoding.Gzip))]
    [InlineData("*", nameof(ContentCoding.Brotli))]
    [InlineData("*;q=0.5, br;q=0.1", nameof(ContentCoding.Gzip))]
    [InlineData("gzip;q=0, br;q=0", nameof(ContentCoding.Identity))]
    [InlineData("*;q=0", nameof(ContentCoding.Identity))]
    [InlineData("deflate", nameof(ContentCoding.Identity))]
    [InlineData("identity", nameof(ContentCoding.Identity))]
    [InlineData("gzip;q=0.5, identity", nameof(ContentCoding.Identity))]
    [InlineData("gzip, identity;q=0.5", nameof(ContentCoding.Gzip))]
    [InlineData("gzip ; q=0.8 , br ; q=0.9", nameof(ContentCoding.Brotli))]
    [InlineData("gzip;q=2, br;q=0.1", nameof(ContentCoding.Brotli))]
    [InlineData("gzip;q=0.1234, br;q=0.1", nameof(ContentCoding.Brotli))]
    [InlineData("gzip;level=1", nameof(ContentCoding.Identity))]
    [InlineData(",,gzip,,", nameof(ContentCoding.Gzip))]
    public void Chooses_by_weight_then_server_preference(string? header, string expected) =>
        Assert.Equal(Enum.Parse<ContentCoding>(expected), AcceptEncodingNegotiator.Select(header, s_brFirst));

    [Fact]
    public void Only_offers_the_configured_codings()
    {
        Assert.Equal(ContentCoding.Identity, AcceptEncodingNegotiator.Select("br", s_gzipOnly));
        Assert.Equal(ContentCoding.Gzip, AcceptEncodingNegotiator.Select("br, gzip", s_gzipOnly));
    }

    [Fact]
    public void Ties_go_to_the_server_preference()
    {
        Assert.Equal(ContentCoding.Gzip, AcceptEncodingNegotiator.Select("br, gzip", [ContentCoding.Gzip, ContentCoding.Brotli]));
        Assert.Equal(ContentCoding.Brotli, AcceptEncodingNegotiator.Select("gzip, br", s_brFirst));
    }
}
