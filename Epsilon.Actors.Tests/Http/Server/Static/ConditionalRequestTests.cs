using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server.Static;
using Xunit;
using HttpMethod = Epsilon.Actors.Http.Model.HttpMethod;

namespace Epsilon.Actors.Tests.Http.Server.Static;

[Trait("Category", "Unit")]
public sealed class ConditionalRequestTests
{
    private const string ETag = "\"abc\"";
    private static readonly DateTimeOffset s_modified = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static ConditionalOutcome Evaluate(HttpMethod method, params (string, string)[] headers) =>
        ConditionalRequest.Evaluate(method, HttpHeaders.Of(headers), ETag, s_modified);

    [Fact]
    public void No_conditions_proceed() => Assert.Equal(ConditionalOutcome.Proceed, Evaluate(HttpMethod.Get));

    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("W/\"abc\"")]
    [InlineData("\"x\", \"abc\"")]
    [InlineData("*")]
    public void If_none_match_with_the_current_tag_is_not_modified_by_weak_comparison(string value) =>
        Assert.Equal(ConditionalOutcome.NotModified, Evaluate(HttpMethod.Get, ("If-None-Match", value)));

    [Fact]
    public void If_none_match_with_another_tag_proceeds_even_if_the_date_says_unmodified() =>
        Assert.Equal(ConditionalOutcome.Proceed, Evaluate(HttpMethod.Get, ("If-None-Match", "\"old\""), ("If-Modified-Since", "Wed, 01 May 2024 12:00:00 GMT")));

    [Fact]
    public void If_none_match_on_an_unsafe_method_is_precondition_failed() =>
        Assert.Equal(ConditionalOutcome.PreconditionFailed, Evaluate(HttpMethod.Put, ("If-None-Match", "*")));

    [Theory]
    [InlineData("Wed, 01 May 2024 12:00:00 GMT", nameof(ConditionalOutcome.NotModified))]
    [InlineData("Thu, 02 May 2024 00:00:00 GMT", nameof(ConditionalOutcome.NotModified))]
    [InlineData("Wed, 01 May 2024 11:59:59 GMT", nameof(ConditionalOutcome.Proceed))]
    [InlineData("Wednesday, 01-May-24 12:00:00 GMT", nameof(ConditionalOutcome.NotModified))]
    [InlineData("Wed May  1 12:00:00 2024", nameof(ConditionalOutcome.NotModified))]
    [InlineData("yesterday", nameof(ConditionalOutcome.Proceed))]
    public void If_modified_since_compares_at_whole_seconds_in_all_three_date_formats(string value, string expected) =>
        Assert.Equal(Enum.Parse<ConditionalOutcome>(expected), Evaluate(HttpMethod.Get, ("If-Modified-Since", value)));

    [Fact]
    public void If_modified_since_is_ignored_for_post() =>
        Assert.Equal(ConditionalOutcome.Proceed, Evaluate(HttpMethod.Post, ("If-Modified-Since", "Thu, 02 May 2024 00:00:00 GMT")));

    [Theory]
    [InlineData("\"abc\"", nameof(ConditionalOutcome.Proceed))]
    [InlineData("W/\"abc\"", nameof(ConditionalOutcome.PreconditionFailed))]
    [InlineData("\"zzz\"", nameof(ConditionalOutcome.PreconditionFailed))]
    [InlineData("*", nameof(ConditionalOutcome.Proceed))]
    public void If_match_uses_strong_comparison(string value, string expected) =>
        Assert.Equal(Enum.Parse<ConditionalOutcome>(expected), Evaluate(HttpMethod.Put, ("If-Match", value)));

    [Theory]
    [InlineData("Wed, 01 May 2024 11:00:00 GMT", nameof(ConditionalOutcome.PreconditionFailed))]
    [InlineData("Wed, 01 May 2024 12:00:00 GMT", nameof(ConditionalOutcome.Proceed))]
    public void If_unmodified_since_fails_when_modified_after(string value, string expected) =>
        Assert.Equal(Enum.Parse<ConditionalOutcome>(expected), Evaluate(HttpMethod.Get, ("If-Unmodified-Since", value)));

    [Fact]
    public void If_match_takes_precedence_over_if_unmodified_since() =>
        Assert.Equal(ConditionalOutcome.Proceed, Evaluate(HttpMethod.Get, ("If-Match", ETag), ("If-Unmodified-Since", "Mon, 01 Jan 2024 00:00:00 GMT")));

    [Theory]
    [InlineData(null, true)]
    [InlineData("\"abc\"", true)]
    [InlineData("W/\"abc\"", false)]
    [InlineData("\"other\"", false)]
    [InlineData("Wed, 01 May 2024 12:00:00 GMT", true)]
    [InlineData("Wed, 01 May 2024 12:00:01 GMT", false)]
    [InlineData("garbage", false)]
    public void If_range_allows_a_range_only_for_the_current_strong_tag_or_exact_date(string? value, bool allowed)
    {
        var headers = value is null ? HttpHeaders.Empty : HttpHeaders.Of(("If-Range", value));
        Assert.Equal(allowed, ConditionalRequest.RangeAllowed(headers, ETag, s_modified));
    }
}
