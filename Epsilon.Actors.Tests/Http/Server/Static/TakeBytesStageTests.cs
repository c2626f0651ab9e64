using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Epsilon.Actors.Http.Server.Static;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Server.Static;

[Trait("Category", "Unit")]
public sealed class TakeBytesStageTests : Akka.TestKit.Xunit2.TestKit
{
    private readonly IMaterializer _materializer;

    public TakeBytesStageTests()
        : base("akka.loglevel = WARNING") => _materializer = Sys.Materializer();

    [Fact]
    public void Cuts_the_crossing_chunk_completes_and_cancels_upstream()
    {
        var (upstream, downstream) = this.SourceProbe<ByteString>()
            .Via(new TakeBytesStage(5))
            .ToMaterialized(this.SinkProbe<ByteString>(), Keep.Both)
            .Run(_materializer);
        downstream.Request(10);
        upstream.SendNext(ByteString.FromString("abc"));
        Assert.Equal("abc", downstream.ExpectNext().ToString());
        upstream.SendNext(ByteString.FromString("defgh"));
        Assert.Equal("de", downstream.ExpectNext().ToString());
        downstream.ExpectComplete();
        upstream.ExpectCancellation();
    }

    [Fact]
    public void A_zero_limit_completes_at_once()
    {
        var (upstream, downstream) = this.SourceProbe<ByteString>()
            .Via(new TakeBytesStage(0))
            .ToMaterialized(this.SinkProbe<ByteString>(), Keep.Both)
            .Run(_materializer);
        downstream.ExpectSubscriptionAndComplete();
        upstream.ExpectCancellation();
    }

    [Fact]
    public void A_short_upstream_completes_with_fewer_bytes()
    {
        var (upstream, downstream) = this.SourceProbe<ByteString>()
            .Via(new TakeBytesStage(100))
            .ToMaterialized(this.SinkProbe<ByteString>(), Keep.Both)
            .Run(_materializer);
        downstream.Request(1);
        upstream.SendNext(ByteString.FromString("xy"));
        downstream.ExpectNext();
        upstream.SendComplete();
        downstream.ExpectComplete();
    }
}
