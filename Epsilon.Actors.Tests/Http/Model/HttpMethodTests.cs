using System.Text;
using Xunit;
using HttpMethod = Epsilon.Actors.Http.Model.HttpMethod;

namespace Epsilon.Actors.Tests.Http.Model;

[Trait("Category", "Unit")]
public sealed class HttpMethodTests
{
    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    [InlineData("OPTIONS")]
    [InlineData("TRACE")]
    [InlineData("CONNECT")]
    public void Parses_standard_methods_to_their_interned_singletons(string name)
    {
        var fromBytes = HttpMethod.Parse(Encoding.ASCII.GetBytes(name));
        var fromName = HttpMethod.FromName(name);
        Assert.Same(fromName, fromBytes);
        Assert.Equal(name, fromBytes.Name);
        Assert.Equal(name, Encoding.ASCII.GetString(fromBytes.NameBytes));
    }

    [Fact]
    public void Parsing_a_standard_method_allocates_nothing()
    {
        var bytes = "DELETE"u8.ToArray();
        HttpMethod.Parse(bytes);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++) HttpMethod.Parse(bytes);
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void Method_names_are_case_sensitive()
    {
        var lower = HttpMethod.FromName("get");
        Assert.NotSame(HttpMethod.Get, lower);
        Assert.NotEqual(HttpMethod.Get, lower);
    }

    [Fact]
    public void Extension_methods_are_equal_by_name()
    {
        var a = HttpMethod.FromName("PROPFIND");
        var b = HttpMethod.Parse("PROPFIND"u8);
        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.False(a.IsSafe);
    }

    [Theory]
    [InlineData("")]
    [InlineData("GE T")]
    [InlineData("GET\r")]
    [InlineData("(GET)")]
    public void Rejects_names_that_are_not_tokens(string name) =>
        Assert.Throws<ArgumentException>(() => HttpMethod.FromName(name));

    [Fact]
    public void Safety_and_idempotence_follow_RFC_9110()
    {
        Assert.True(HttpMethod.Get.IsSafe);
        Assert.True(HttpMethod.Head.IsSafe);
        Assert.False(HttpMethod.Post.IsIdempotent);
        Assert.True(HttpMethod.Put.IsIdempotent);
        Assert.False(HttpMethod.Put.IsSafe);
        Assert.True(HttpMethod.Delete.IsIdempotent);
    }
}
