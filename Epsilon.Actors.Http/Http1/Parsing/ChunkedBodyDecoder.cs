using System.Buffers;

namespace Epsilon.Actors.Http.Http1.Parsing;

/// <summary>
/// Decodes the chunked transfer coding (RFC 9112 §7.1) incrementally: chunk-size lines with
/// extensions bounded over the whole body, chunk data handed to the handler as it arrives, the CRLF after each
/// chunk, and the trailer section with the header limits. Keeps its own small state between
/// calls (which part it is in, bytes left in the chunk); a partial size line or trailer line is
/// not consumed. Not thread-safe: one per connection. Dispose returns its scratch buffer.
/// </summary>
/// <remarks>
/// <code>
/// chunked-body   = *chunk last-chunk trailer-section CRLF
/// chunk          = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
/// last-chunk     = 1*("0") [ chunk-ext ] CRLF
/// </code>
/// </remarks>
internal sealed class ChunkedBodyDecoder : IDisposable
{
    private const int SizeLine = 0;
    private const int Data = 1;
    private const int DataEnd = 2;
    private const int Trailers = 3;
    private const int Done = 4;

    private const int MaxSizeDigits = 64;

    private readonly int _maxExtensionBytes;
    private readonly long _defaultMaxBodySize;
    private long _maxBodySize;
    private Http1FieldSection _trailers;
    private byte[]? _scratch;
    private int _state;
    private long _chunkRemaining;
    private long _decoded;
    private int _extensionBudget;

    /// <summary>
    /// A decoder whose chunk extensions (every byte after the hex size on chunk-size lines,
    /// whitespace included) add up to at most <paramref name="maxExtensionBytes"/> over one body,
    /// whose sizes have at most 64 digits (leading zeros included), whose trailers share the
    /// header limits, and whose decoded body is at most <paramref name="maxBodySize"/> bytes
    /// (null: no limit; past it, 413). The extension budget is per body, not per line, so many
    /// tiny chunks cannot carry an unbounded amount of extension bytes.
    /// </summary>
    public ChunkedBodyDecoder(int maxExtensionBytes, int maxTrailerBytes, int maxTrailerCount, long? maxBodySize)
    {
        _maxExtensionBytes = maxExtensionBytes;
        _extensionBudget = maxExtensionBytes;
        _defaultMaxBodySize = maxBodySize ?? long.MaxValue;
        _maxBodySize = _defaultMaxBodySize;
        _trailers = new Http1FieldSection(maxTrailerBytes, maxTrailerCount, trailers: true);
    }

    /// <summary>Decoded body bytes of the current body so far.</summary>
    public long DecodedBytes => _decoded;

    /// <summary>Whether the last body decoded completely (last chunk and trailers read).</summary>
    public bool IsComplete => _state == Done;

    /// <summary>Prepares for a new body.</summary>
    public void Reset()
    {
        _state = SizeLine;
        _chunkRemaining = 0;
        _decoded = 0;
        _extensionBudget = _maxExtensionBytes;
        _maxBodySize = _defaultMaxBodySize;
        _trailers.Reset();
    }

    /// <summary>Replaces the body limit for the current body only (null: none); <see cref="Reset"/> restores the default.</summary>
    /// <exception cref="Http1Rejection">413: more than the new limit was already decoded.</exception>
    public void LimitBodySize(long? maxBodySize)
    {
        _maxBodySize = maxBodySize ?? long.MaxValue;
        if (_decoded > _maxBodySize) Http1Rejection.Throw(Http1RejectionReason.BodyTooLarge);
    }

    /// <summary>
    /// Decodes what <paramref name="reader"/> holds: data goes to
    /// <see cref="IHttp1BodyHandler.OnBody"/> (and is consumed), trailers to
    /// <see cref="IHttp1BodyHandler.OnTrailer"/>. Returns true once the whole body, trailers
    /// included, has been read (the reader is then just past it); false when more input is needed.
    /// </summary>
    /// <exception cref="Http1Rejection">invalid chunk framing (400), a body past the limit (413), trailers past the limits (431).</exception>
    public bool TryDecode<THandler>(ref SequenceReader<byte> reader, ref THandler handler)
        where THandler : struct, IHttp1BodyHandler
    {
        while (true)
        {
            switch (_state)
            {
                case SizeLine:
                    if (!Http1LineReader.TryReadLine(ref reader, MaxSizeDigits + _extensionBudget + 2L, Http1RejectionReason.InvalidChunkExtension, ref _scratch, out var line)) return false;
                    var size = Http1Compliance.ParseChunkSizeLine(line, out var extensionLength);
                    if (line.Length - extensionLength > MaxSizeDigits) Http1Rejection.Throw(Http1RejectionReason.InvalidChunkSize, "more than 64 digits");
                    _extensionBudget -= extensionLength;
                    if (_extensionBudget < 0) Http1Rejection.Throw(Http1RejectionReason.InvalidChunkExtension, "extensions past max-chunk-extension-size");
                    if (size == 0)
                    {
                        _state = Trailers;
                        break;
                    }

                    if (size > _maxBodySize - _decoded) Http1Rejection.Throw(Http1RejectionReason.BodyTooLarge);
                    _chunkRemaining = size;
                    _state = Data;
                    break;

                case Data:
                    while (_chunkRemaining > 0)
                    {
                        var span = reader.UnreadSpan;
                        if (span.IsEmpty) return false;
                        var take = (int)Math.Min(span.Length, _chunkRemaining);
                        handler.OnBody(span[..take]);
                        reader.Advance(take);
                        _chunkRemaining -= take;
                        _decoded += take;
                    }

                    _state = DataEnd;
                    break;

                case DataEnd:
                    // §7.1: chunk-data is followed by exactly CRLF.
                    if (!reader.TryPeek(out var cr)) return false;
                    if (cr != (byte)'\r') Http1Rejection.Throw(Http1RejectionReason.InvalidChunkTerminator);
                    if (!reader.TryPeek(1, out var lf)) return false;
                    if (lf != (byte)'\n') Http1Rejection.Throw(Http1RejectionReason.InvalidChunkTerminator);
                    reader.Advance(2);
                    _state = SizeLine;
                    break;

                case Trailers:
                    var status = _trailers.TryReadField(ref reader, ref _scratch, out var name, out var value);
                    if (status == Http1FieldLineStatus.NeedMoreData) return false;
                    if (status == Http1FieldLineStatus.End)
                    {
                        _state = Done;
                        return true;
                    }

                    handler.OnTrailer(name, value);
                    break;

                default:
                    return true;
            }
        }
    }

    /// <summary>Returns the scratch buffer to the pool.</summary>
    public void Dispose() => Http1LineReader.ReturnScratch(ref _scratch);
}
