using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Epsilon.Actors.Http.Server.Static;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Server.Static;

[Trait("Category", "Unit")]
public sealed class FileRangeSourceTests : Akka.TestKit.Xunit2.TestKit, IDisposable
{
    private readonly IMaterializer _materializer;
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"epsilon-range-{Guid.NewGuid():N}.bin");
    private readonly byte[] _data = new byte[10_000];

    public FileRangeSourceTests()
        : base("akka.loglevel = WARNING")
    {
        _materializer = Sys.Materializer();
        new Random(7).NextBytes(_data);
        File.WriteAllBytes(_path, _data);
    }

    void IDisposable.Dispose()
    {
        File.Delete(_path);
        Dispose();
    }

    private TestSubscriber.Probe<ByteString> Run(long start, long length, int chunk) =>
        Source.FromGraph(new FileRangeSource(_path, start, length, chunk)).RunWith(this.SinkProbe<ByteString>(), _materializer);

    [Theory]
    [InlineData(0, 10_000, 4096)]
    [InlineData(123, 4_000, 1000)]
    [InlineData(9_999, 1, 1024)]
    public void Emits_exactly_the_range_in_chunks_one_per_pull(long start, int length, int chunk)
    {
        var probe = Run(start, length, chunk);
        var received = new List<byte>();
        while (received.Count < length)
        {
            probe.Request(1);
            var next = probe.ExpectNext();
            Assert.Equal(Math.Min(chunk, length - received.Count), next.Count);
            received.AddRange(next.ToArray());
            if (received.Count < length) probe.ExpectNoMsg(TimeSpan.FromMilliseconds(20)); // nothing read ahead
        }

        probe.ExpectComplete();
        Assert.Equal(_data.AsSpan((int)start, length).ToArray(), received.ToArray());
    }

    [Fact]
    public void An_empty_range_completes_without_opening_the_file()
    {
        File.Delete(_path);
        Run(0, 0, 1024).ExpectSubscriptionAndComplete();
    }

    [Fact]
    public void A_file_shorter_than_the_range_fails_the_stream()
    {
        var probe = Run(9_000, 2_000, 4096);
        probe.Request(5);
        Assert.IsType<IOException>(probe.ExpectError());
    }

    [Fact]
    public void A_missing_file_fails_on_the_first_pull()
    {
        File.Delete(_path);
        var probe = Run(0, 10, 1024);
        probe.Request(1);
        Assert.IsAssignableFrom<IOException>(probe.ExpectError());
    }
}
