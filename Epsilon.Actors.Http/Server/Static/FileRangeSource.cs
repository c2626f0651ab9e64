using Akka.IO;
using Akka.Streams;
using Akka.Streams.Stage;
using Microsoft.Win32.SafeHandles;

namespace Epsilon.Actors.Http.Server.Static;

/// <summary>
/// The bytes <c>[start, start + length)</c> of one file, one chunk per pull, read with
/// <see cref="RandomAccess"/> on the pulling stage's own thread: no actor, no message and no
/// read-ahead per chunk (Akka's <c>FileIO.FromFile</c> runs an actor per file on the blocking-IO
/// dispatcher, a hop per chunk). The file is opened on the first pull, so a body that is never
/// run (HEAD) never opens it, and closed when the stage stops. A file that ends before
/// <c>length</c> bytes fails the stream with an <see cref="IOException"/>, so a response with a
/// declared Content-Length is cut, never padded. Reads are synchronous: static files are expected
/// to sit in the page cache, as with nginx's default (non-aio) reads.
/// </summary>
internal sealed class FileRangeSource : GraphStage<SourceShape<ByteString>>
{
    private readonly string _path;
    private readonly long _start;
    private readonly long _length;
    private readonly int _chunkSize;

    public FileRangeSource(string path, long start, long length, int chunkSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkSize);
        _path = path;
        _start = start;
        _length = length;
        _chunkSize = chunkSize;
        Shape = new SourceShape<ByteString>(Out);
    }

    public Outlet<ByteString> Out { get; } = new("FileRangeSource.out");

    public override SourceShape<ByteString> Shape { get; }

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : OutGraphStageLogic
    {
        private readonly FileRangeSource _stage;
        private SafeFileHandle? _handle;
        private long _offset;
        private long _remaining;

        public Logic(FileRangeSource stage)
            : base(stage.Shape)
        {
            _stage = stage;
            _offset = stage._start;
            _remaining = stage._length;
            SetHandler(stage.Out, this);
        }

        public override void PreStart()
        {
            if (_remaining == 0) CompleteStage();
        }

        public override void OnPull()
        {
            _handle ??= File.OpenHandle(_stage._path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var buffer = new byte[(int)Math.Min(_stage._chunkSize, _remaining)];
            var filled = 0;
            while (filled < buffer.Length)
            {
                var read = RandomAccess.Read(_handle, buffer.AsSpan(filled), _offset + filled);
                if (read == 0) throw new IOException($"{_stage._path} ended {_remaining - filled} bytes before the range it was measured with");
                filled += read;
            }

            _offset += filled;
            _remaining -= filled;
            // The array is handed over, not copied: nothing else holds it.
            Push(_stage.Out, ByteString.FromBytes(buffer));
            if (_remaining == 0) CompleteStage();
        }

        public override void PostStop() => _handle?.Dispose();
    }
}
