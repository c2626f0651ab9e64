using Epsilon.Actors.Http.Http1;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Http1;

[Trait("Category", "Unit")]
public sealed class Http1HeaderTokensTests
{
    [Theory]
    [InlineData("close", true)]
    [InlineData("Close", true)]
    [InlineData("keep-alive, close", true)]
    [InlineData(" ,, CLOSE\t, upgrade", true)]
    [InlineData("closed", false)]
    [InlineData("x-close-later", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Finds_a_token_only_as_a_whole_list_element(string? list, bool found) =>
        Assert.Equal(found, Http1HeaderTokens.Contains(list, "close"));

    [Fact]
    public void First_returns_the_first_accepted_element_in_list_order()
    {
        Assert.Equal("x-test/1", Http1HeaderTokens.First("h2c, x-test/1 , websocket", t => t.StartsWith("x-", StringComparison.Ordinal) || t == "websocket"));
        Assert.Null(Http1HeaderTokens.First("h2c", _ => false));
        Assert.Null(Http1HeaderTokens.First(null, _ => true));
    }
}
