using System.Text;
using Epsilon.Actors.Http.Http1;
using Epsilon.Actors.Http.Model;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Http1;

[Trait("Category", "Unit")]
public sealed class Http1RequestHeaderCacheTests
{
    private static HttpHeaders Read(Http1RequestHeaderCache cache, params (string Name, string Value)[] fields)
    {
        cache.Begin();
        foreach (var (name, value) in fields) cache.Add(Encoding.ASCII.GetBytes(name), Encoding.Latin1.GetBytes(value));
        return cache.Complete();
    }

    [Fact]
    public void Returns_the_previous_instance_when_every_field_is_the_same()
    {
        var cache = new Http1RequestHeaderCache();
        var first = Read(cache, ("Host", "localhost"), ("X-Custom", "one"));
        var second = Read(cache, ("Host", "localhost"), ("X-Custom", "one"));
        Assert.Same(first, second);
        Assert.Equal("one", second["x-custom"]);
        Assert.Equal(KnownHeader.Host, second[0].Id);
    }

    [Fact]
    public void Builds_a_new_list_when_a_value_a_name_or_the_count_differs()
    {
        var cache = new Http1RequestHeaderCache();
        var first = Read(cache, ("Host", "a"), ("Accept", "*/*"));
        var value = Read(cache, ("Host", "a"), ("Accept", "text/plain"));
        Assert.NotSame(first, value);
        Assert.Equal("text/plain", value.Get(KnownHeader.Accept));
        var name = Read(cache, ("Host", "a"), ("Accept-Language", "text/plain"));
        Assert.Equal("text/plain", name["Accept-Language"]);
        Assert.Null(name.Get(KnownHeader.Accept));
        var fewer = Read(cache, ("Host", "a"));
        Assert.Single(fewer);
        var more = Read(cache, ("Host", "a"), ("Accept", "*/*"), ("Accept", "x/y"));
        Assert.Equal(3, more.Count);
        // Name and value boundaries count: "ab: c" is not "a: bc".
        var split1 = Read(cache, ("ab", "c"));
        var split2 = Read(cache, ("a", "bc"));
        Assert.Equal("bc", split2["a"]);
        Assert.Null(split2["ab"]);
        Assert.NotSame(split1, split2);
    }

    [Fact]
    public void Handles_fields_past_the_remembered_size_without_reusing_them()
    {
        var cache = new Http1RequestHeaderCache();
        var big = new string('v', 10_000);
        var first = Read(cache, ("Host", "a"), ("X-Big", big), ("X-After", "1"));
        var second = Read(cache, ("Host", "a"), ("X-Big", big), ("X-After", "2"));
        Assert.NotSame(first, second);
        Assert.Equal("2", second["X-After"]);
        Assert.Equal(big, second["X-Big"]);
        var empty = Read(cache);
        Assert.Empty(empty);
    }

    [Fact]
    public void Reuses_the_target_string_for_the_same_bytes()
    {
        var cache = new Http1RequestHeaderCache();
        var first = cache.Target("/plaintext"u8);
        Assert.Same(first, cache.Target("/plaintext"u8));
        Assert.Equal("/json", cache.Target("/json"u8));
    }
}
