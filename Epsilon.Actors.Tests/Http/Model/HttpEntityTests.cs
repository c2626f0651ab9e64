using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Epsilon.Actors.Http.Model;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Model;

[Trait("Category", "Unit")]
public sealed class HttpEntityTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);
    private readonly IMaterializer _materializer;

    public HttpEntityTests()
        : base("akka.loglevel = WARNING") => _materializer = Sys.Materializer();

    [Fact]
    public async Task A_strict_entity_is_its_own_strict_form()
    {
        var strict = HttpEntity.Text("abc");
        Assert.Same(strict, await strict.ToStrictAsync(3, s_wait, _materializer));
        await Assert.ThrowsAsync<EntityTooLargeException>(() => strict.ToStrictAsync(2, s_wait, _materializer));
    }

    [Fact]
    public async Task A_streamed_entity_collects_every_chunk()
    {
        var source = Source.From(new[] { "ab", "cd", "e" }.Select(ByteString.FromString));
        var streamed = new HttpEntity.Streamed(ContentType.TextPlainUtf8, null, source);
        var strict = await streamed.ToStrictAsync(5, s_wait, _materializer);
        Assert.Equal("abcde", strict.ToText());
        Assert.Same(ContentType.TextPlainUtf8, strict.ContentType);
    }

    [Fact]
    public async Task A_streamed_entity_longer_than_the_limit_fails_with_entity_too_large()
    {
        var source = Source.Repeat(ByteString.FromBytes(new byte[100]));
        var streamed = new HttpEntity.Streamed(null, null, source);
        var error = await Assert.ThrowsAsync<EntityTooLargeException>(() => streamed.ToStrictAsync(1000, s_wait, _materializer));
        Assert.Equal(1000, error.MaxBytes);
    }

    [Fact]
    public async Task A_declared_length_over_the_limit_fails_without_reading()
    {
        var streamed = new HttpEntity.Streamed(null, 5000, Source.Never<ByteString>());
        await Assert.ThrowsAsync<EntityTooLargeException>(() => streamed.ToStrictAsync(1000, s_wait, _materializer));
    }

    [Fact]
    public async Task A_streamed_entity_that_stalls_times_out()
    {
        var streamed = new HttpEntity.Streamed(null, null, Source.Single(ByteString.FromString("a")).Concat(Source.Never<ByteString>()));
        await Assert.ThrowsAsync<TimeoutException>(() => streamed.ToStrictAsync(1000, TimeSpan.FromMilliseconds(200), _materializer));
    }

    [Fact]
    public async Task Discarding_drains_the_source()
    {
        var probe = this.CreatePublisherProbe<ByteString>();
        var streamed = new HttpEntity.Streamed(null, null, Source.FromPublisher(probe));
        var drained = streamed.DiscardBytesAsync(_materializer);
        probe.ExpectRequest();
        probe.SendNext(ByteString.FromString("x"));
        probe.SendComplete();
        await drained.WaitAsync(s_wait);
    }

    [Fact]
    public void A_streamed_entity_is_not_pulled_faster_than_its_consumer_pulls()
    {
        var publisher = this.CreatePublisherProbe<ByteString>();
        var streamed = new HttpEntity.Streamed(null, null, Source.FromPublisher(publisher));
        var subscriber = streamed.DataBytes.RunWith(this.SinkProbe<ByteString>(), _materializer);
        var subscription = publisher.ExpectSubscription();
        subscriber.EnsureSubscription();
        publisher.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        subscriber.Request(1);
        Assert.Equal(1, subscription.ExpectRequest());
        subscription.SendNext(ByteString.FromString("a"));
        Assert.Equal("a", subscriber.ExpectNext(s_wait).ToString());
        publisher.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        subscriber.Cancel();
    }

    [Fact]
    public void Rejects_a_negative_length() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new HttpEntity.Streamed(null, -1, Source.Empty<ByteString>()));
}
