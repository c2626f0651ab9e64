using System.Text;
using Akka;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace Epsilon.Actors.Http.Model;

/// <summary>
/// The content of a request or response: either <see cref="Strict"/> bytes already in memory, or a
/// <see cref="Streamed"/> source of chunks pulled on demand, so a slow peer back-pressures the
/// producer and nothing is buffered without bound. <see cref="Empty"/> is the zero-length strict
/// entity without a content type. Immutable; a streamed entity's source can be run once.
/// </summary>
public abstract class HttpEntity
{
    /// <summary>No content and no Content-Type (a singleton).</summary>
    public static readonly Strict Empty = new(null, ByteString.Empty);

    private protected HttpEntity(ContentType? contentType) => ContentType = contentType;

    /// <summary>The content type, or null when none is known (then no Content-Type header is rendered).</summary>
    public ContentType? ContentType { get; }

    /// <summary>The length in bytes if known up front; null means unknown (rendered chunked on HTTP/1.1).</summary>
    public abstract long? ContentLength { get; }

    /// <summary>True when the entity is known to have no bytes.</summary>
    public bool IsKnownEmpty => ContentLength == 0;

    /// <summary>The bytes as a source. For a strict entity, a single element (none when empty).</summary>
    public abstract Source<ByteString, NotUsed> DataBytes { get; }

    /// <summary>A strict UTF-8 text entity.</summary>
    public static Strict Text(string text, ContentType? contentType = null) =>
        new(contentType ?? ContentType.TextPlainUtf8, ByteString.FromBytes(Encoding.UTF8.GetBytes(text)));

    /// <summary>
    /// Collects the entity into memory. A strict entity returns itself at once. A streamed one fails
    /// with <see cref="EntityTooLargeException"/> as soon as more than <paramref name="maxBytes"/>
    /// arrive (or at once, without reading, if its declared length says so), and with
    /// <see cref="TimeoutException"/> when the whole entity has not arrived within <paramref name="timeout"/>.
    /// A streamed entity's source can be run once: call this at most once per request.
    /// </summary>
    public abstract Task<Strict> ToStrictAsync(long maxBytes, TimeSpan timeout, IMaterializer materializer);

    /// <summary>
    /// Reads and drops every byte, for a handler that answers without reading a request body (so the
    /// connection can carry the next request). Completes when the source is drained.
    /// </summary>
    public abstract Task DiscardBytesAsync(IMaterializer materializer);

    /// <summary>The same bytes with another content type.</summary>
    public abstract HttpEntity WithContentType(ContentType? contentType);

    /// <summary>Bytes already in memory. <see cref="ContentLength"/> is their count.</summary>
    public sealed class Strict : HttpEntity
    {
        /// <summary>A strict entity of <paramref name="data"/>.</summary>
        public Strict(ContentType? contentType, ByteString data)
            : base(contentType) => Data = data ?? throw new ArgumentNullException(nameof(data));

        /// <summary>The bytes.</summary>
        public ByteString Data { get; }

        /// <inheritdoc />
        public override long? ContentLength => Data.Count;

        /// <inheritdoc />
        public override Source<ByteString, NotUsed> DataBytes =>
            Data.IsEmpty ? Source.Empty<ByteString>() : Source.Single(Data);

        /// <inheritdoc />
        public override Task<Strict> ToStrictAsync(long maxBytes, TimeSpan timeout, IMaterializer materializer) =>
            Data.Count > maxBytes ? Task.FromException<Strict>(new EntityTooLargeException(maxBytes)) : Task.FromResult(this);

        /// <inheritdoc />
        public override Task DiscardBytesAsync(IMaterializer materializer) => Task.CompletedTask;

        /// <inheritdoc />
        public override HttpEntity WithContentType(ContentType? contentType) => new Strict(contentType, Data);

        /// <summary>The bytes decoded with the entity's charset (UTF-8 when none is given or it is unknown).</summary>
        public string ToText()
        {
            var encoding = Encoding.UTF8;
            if (ContentType?.Charset is { } charset)
            {
                try
                {
                    encoding = Encoding.GetEncoding(charset);
                }
                catch (ArgumentException)
                {
                    encoding = Encoding.UTF8;
                }
            }

            return Data.ToString(encoding);
        }

        /// <summary>Type and size, never the bytes.</summary>
        public override string ToString() => $"Strict({ContentType?.Value ?? "none"}, {Data.Count} bytes)";
    }

    /// <summary>
    /// Bytes produced on demand by a source. <see cref="ContentLength"/> is the declared length, or
    /// null when unknown; a renderer must check that a declared length is met exactly.
    /// </summary>
    public sealed class Streamed : HttpEntity
    {
        /// <summary>A streamed entity; <paramref name="contentLength"/> null means unknown.</summary>
        public Streamed(ContentType? contentType, long? contentLength, Source<ByteString, NotUsed> dataBytes)
            : base(contentType)
        {
            if (contentLength < 0) throw new ArgumentOutOfRangeException(nameof(contentLength), contentLength, "A length cannot be negative.");
            ContentLength = contentLength;
            DataBytes = dataBytes ?? throw new ArgumentNullException(nameof(dataBytes));
        }

        /// <inheritdoc />
        public override long? ContentLength { get; }

        /// <inheritdoc />
        public override Source<ByteString, NotUsed> DataBytes { get; }

        /// <inheritdoc />
        public override async Task<Strict> ToStrictAsync(long maxBytes, TimeSpan timeout, IMaterializer materializer)
        {
            // Left unread on purpose: draining a huge declared body would let a client hold the
            // connection; the server decides whether to drain or to close.
            if (ContentLength > maxBytes) throw new EntityTooLargeException(maxBytes);

            try
            {
                var data = await DataBytes
                    .LimitWeighted(maxBytes, chunk => chunk.Count)
                    .CompletionTimeout(timeout)
                    .RunAggregate(ByteString.Empty, (acc, chunk) => acc.Concat(chunk), materializer)
                    .ConfigureAwait(false);
                return new Strict(ContentType, data);
            }
            catch (StreamLimitReachedException)
            {
                throw new EntityTooLargeException(maxBytes);
            }
        }

        /// <inheritdoc />
        public override Task DiscardBytesAsync(IMaterializer materializer) => DataBytes.RunWith(Sink.Ignore<ByteString>(), materializer);

        /// <inheritdoc />
        public override HttpEntity WithContentType(ContentType? contentType) => new Streamed(contentType, ContentLength, DataBytes);

        /// <summary>Type and declared size.</summary>
        public override string ToString() => $"Streamed({ContentType?.Value ?? "none"}, {(ContentLength is { } n ? n + " bytes" : "unknown length")})";
    }
}
