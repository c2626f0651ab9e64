using System.Text;
using Epsilon.Actors.Http.Model;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Model;

[Trait("Category", "Unit")]
public sealed class HttpHeadersTests
{
    [Fact]
    public void Lookup_is_case_insensitive_for_known_and_other_names()
    {
        var headers = HttpHeaders.Of(("content-TYPE", "text/plain"), ("X-Custom", "1"));
        Assert.Equal("text/plain", headers["Content-Type"]);
        Assert.Equal("text/plain", headers.Get(KnownHeader.ContentType));
        Assert.Equal("1", headers["x-custom"]);
        Assert.Null(headers["X-Missing"]);
    }

    [Fact]
    public void Known_names_are_replaced_by_their_canonical_spelling()
    {
        var header = new HttpHeader("content-length", "5");
        Assert.Equal(KnownHeader.ContentLength, header.Id);
        Assert.Same(KnownHeaders.NameOf(KnownHeader.ContentLength), header.Name);
    }

    [Fact]
    public void Keeps_duplicates_in_wire_order()
    {
        var headers = HttpHeaders.Of(("Set-Cookie", "a=1"), ("Host", "h"), ("set-cookie", "b=2"));
        Assert.Equal(["a=1", "b=2"], headers.GetAll("Set-Cookie"));
        Assert.Equal("a=1", headers["Set-Cookie"]);
        Assert.Equal(3, headers.Count);
        Assert.Equal("Host", headers[1].Name);
    }

    [Fact]
    public void Set_replaces_every_field_of_the_name_and_add_appends()
    {
        var headers = HttpHeaders.Of(("X-A", "1"), ("x-a", "2"), ("B", "3"));
        var set = headers.Set("X-A", "9");
        Assert.Equal(["9"], set.GetAll("x-a"));
        Assert.Equal("3", set["B"]);
        var added = set.Add("X-A", "10");
        Assert.Equal(["9", "10"], added.GetAll("X-A"));
        Assert.Equal(3, headers.Count);
    }

    [Fact]
    public void Remove_drops_every_field_of_the_name_and_returns_the_same_list_when_absent()
    {
        var headers = HttpHeaders.Of(("Vary", "a"), ("vary", "b"), ("Host", "h"));
        var removed = headers.Remove("VARY");
        Assert.Single(removed);
        Assert.Same(headers, headers.Remove("X-Nope"));
        Assert.Same(HttpHeaders.Empty, HttpHeaders.Of(("Host", "h")).Remove(KnownHeader.Host));
    }

    [Theory]
    [InlineData("Bad Name", "v")]
    [InlineData("", "v")]
    [InlineData("Name:", "v")]
    [InlineData("X-Ok", "a\r\nInjected: 1")]
    [InlineData("X-Ok", "a\nb")]
    [InlineData("X-Ok", "a\0b")]
    public void Rejects_invalid_names_and_values_that_could_split_a_message(string name, string value) =>
        Assert.Throws<ArgumentException>(() => new HttpHeader(name, value));

    [Fact]
    public void Builder_interns_known_names_from_bytes_and_decodes_values_as_latin1()
    {
        var builder = HttpHeaders.CreateBuilder(1);
        builder.Add("HOST"u8, "example.org"u8).Add("X-Thing"u8, new byte[] { 0x61, 0xE9 });
        var headers = builder.Build();
        Assert.Same(KnownHeaders.NameOf(KnownHeader.Host), headers[0].Name);
        Assert.Equal("example.org", headers.Get(KnownHeader.Host));
        Assert.Equal("a\u00e9", headers["x-thing"]);
        builder.Clear();
        Assert.Equal(0, builder.Count);
        Assert.Same(HttpHeaders.Empty, builder.Build());
        Assert.Equal(2, headers.Count);
    }

    [Fact]
    public void Every_known_header_round_trips_through_its_name()
    {
        foreach (var id in Enum.GetValues<KnownHeader>().Where(k => k != KnownHeader.None))
        {
            var name = KnownHeaders.NameOf(id);
            Assert.Equal(id, KnownHeaders.Lookup(name.ToUpperInvariant().AsSpan()));
            Assert.Equal(id, KnownHeaders.Lookup(Encoding.ASCII.GetBytes(name.ToLowerInvariant())));
        }
    }

    [Fact]
    public void Looking_up_a_known_header_allocates_nothing()
    {
        var headers = HttpHeaders.Of(("Host", "h"), ("Content-Type", "text/plain"), ("X-A", "1"));
        headers.Get(KnownHeader.ContentType);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            headers.Get(KnownHeader.ContentType);
            headers.Get("content-type");
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
