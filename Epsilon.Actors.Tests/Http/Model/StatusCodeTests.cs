using Epsilon.Actors.Http.Model;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Model;

[Trait("Category", "Unit")]
public sealed class StatusCodeTests
{
    [Theory]
    [InlineData(200, "OK")]
    [InlineData(206, "Partial Content")]
    [InlineData(304, "Not Modified")]
    [InlineData(404, "Not Found")]
    [InlineData(413, "Content Too Large")]
    [InlineData(416, "Range Not Satisfiable")]
    [InlineData(503, "Service Unavailable")]
    public void Registered_codes_have_their_reason_phrase(int code, string reason) =>
        Assert.Equal(reason, new StatusCode(code).Reason);

    [Theory]
    [InlineData(299, "Success")]
    [InlineData(499, "Client Error")]
    [InlineData(599, "Server Error")]
    [InlineData(799, "Unknown")]
    public void Unregistered_codes_get_their_class_phrase(int code, string reason) =>
        Assert.Equal(reason, new StatusCode(code).Reason);

    [Theory]
    [InlineData(99)]
    [InlineData(1000)]
    [InlineData(-1)]
    public void Rejects_codes_outside_three_digits(int code) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new StatusCode(code));

    [Theory]
    [InlineData(100, false)]
    [InlineData(200, true)]
    [InlineData(204, false)]
    [InlineData(304, false)]
    [InlineData(404, true)]
    public void Allows_entity_except_for_1xx_204_and_304(int code, bool allows) =>
        Assert.Equal(allows, new StatusCode(code).AllowsEntity);

    [Fact]
    public void Integers_convert_and_compare()
    {
        StatusCode s = 404;
        Assert.Equal(StatusCode.NotFound, s);
        Assert.True(s == StatusCode.NotFound);
        Assert.True(s.IsFailure);
        Assert.False(s.IsSuccess);
        Assert.Equal("404 Not Found", s.ToString());
    }
}
