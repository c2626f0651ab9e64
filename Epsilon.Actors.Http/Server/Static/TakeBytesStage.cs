using Akka.IO;
using Akka.Streams;
using Akka.Streams.Stage;

namespace Epsilon.Actors.Http.Server.Static;

/// <summary>
/// Passes at most <c>limit</c> bytes, cutting the chunk that crosses the limit, then completes and
/// cancels upstream (so a file read for a range stops at the range's end). Demand passes through
/// one for one; it buffers nothing.
/// </summary>
internal sealed class TakeBytesStage : GraphStage<FlowShape<ByteString, ByteString>>
{
    private readonly long _limit;

    public TakeBytesStage(long limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        _limit = limit;
        Shape = new FlowShape<ByteString, ByteString>(In, Out);
    }

    public Inlet<ByteString> In { get; } = new("TakeBytesStage.in");

    public Outlet<ByteString> Out { get; } = new("TakeBytesStage.out");

    public override FlowShape<ByteString, ByteString> Shape { get; }

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : InAndOutGraphStageLogic
    {
        private readonly TakeBytesStage _stage;
        private long _remaining;

        public Logic(TakeBytesStage stage)
            : base(stage.Shape)
        {
            _stage = stage;
            _remaining = stage._limit;
            SetHandler(stage.In, this);
            SetHandler(stage.Out, this);
        }

        public override void PreStart()
        {
            if (_remaining == 0) CompleteStage();
        }

        public override void OnPush()
        {
            var chunk = Grab(_stage.In);
            if (chunk.Count < _remaining)
            {
                _remaining -= chunk.Count;
                Push(_stage.Out, chunk);
                return;
            }

            var last = chunk.Count == _remaining ? chunk : chunk.Slice(0, (int)_remaining);
            _remaining = 0;
            Push(_stage.Out, last);
            CompleteStage();
        }

        public override void OnPull() => Pull(_stage.In);
    }
}
