using System.IO.Compression;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Stage;

namespace Epsilon.Actors.Http.Server.Middleware;

/// <summary>
/// Compresses a byte stream with gzip or brotli, one input chunk at a time: each chunk is written
/// and flushed (a sync flush), so every output element decodes up to the input so far and a slow
/// stream is not held back. Demand passes through one for one (an input that compresses to nothing
/// pulls the next), so the producer is never pulled faster than the consumer reads. The trailer is
/// emitted on completion. Per-materialization state lives in the logic.
/// </summary>
internal sealed class CompressorStage : GraphStage<FlowShape<ByteString, ByteString>>
{
    private readonly ContentCoding _coding;
    private readonly CompressionLevel _level;

    public CompressorStage(ContentCoding coding, CompressionLevel level)
    {
        if (coding == ContentCoding.Identity) throw new ArgumentException("Identity needs no compressor.", nameof(coding));
        _coding = coding;
        _level = level;
        Shape = new FlowShape<ByteString, ByteString>(In, Out);
    }

    public Inlet<ByteString> In { get; } = new("CompressorStage.in");

    public Outlet<ByteString> Out { get; } = new("CompressorStage.out");

    public override FlowShape<ByteString, ByteString> Shape { get; }

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    /// <summary>Compresses a whole buffer at once, for strict entities.</summary>
    public static byte[] CompressAll(ReadOnlySpan<byte> data, ContentCoding coding, CompressionLevel level)
    {
        var output = new MemoryStream(Math.Max(64, data.Length / 2));
        using (var compressor = Create(coding, level, output)) compressor.Write(data);
        return output.ToArray();
    }

    private static Stream Create(ContentCoding coding, CompressionLevel level, Stream output) => coding switch
    {
        ContentCoding.Gzip => new GZipStream(output, level, leaveOpen: true),
        ContentCoding.Brotli => new BrotliStream(output, level, leaveOpen: true),
        _ => throw new ArgumentOutOfRangeException(nameof(coding)),
    };

    private sealed class Logic : InAndOutGraphStageLogic
    {
        private readonly CompressorStage _stage;
        private readonly MemoryStream _output = new();
        private Stream? _compressor;

        public Logic(CompressorStage stage)
            : base(stage.Shape)
        {
            _stage = stage;
            SetHandler(stage.In, this);
            SetHandler(stage.Out, this);
        }

        public override void PreStart() => _compressor = Create(_stage._coding, _stage._level, _output);

        public override void OnPush()
        {
            var chunk = Grab(_stage.In);
            chunk.WriteTo(_compressor!);
            _compressor!.Flush();
            var produced = Drain();
            if (produced.IsEmpty) Pull(_stage.In);
            else Push(_stage.Out, produced);
        }

        public override void OnPull() => Pull(_stage.In);

        public override void OnUpstreamFinish()
        {
            _compressor!.Dispose();
            _compressor = null;
            var trailer = Drain();
            if (trailer.IsEmpty) CompleteStage();
            else Emit(_stage.Out, trailer, CompleteStage);
        }

        public override void PostStop() => _compressor?.Dispose();

        private ByteString Drain()
        {
            if (_output.Length == 0) return ByteString.Empty;
            var bytes = _output.ToArray();
            _output.SetLength(0);
            return ByteString.FromBytes(bytes);
        }
    }
}
