using System.Buffers;
using System.Text;

namespace Epsilon.Actors.Http.Http1.Parsing;

/// <summary>
/// Incremental, allocation-free HTTP/1.x response parser (RFC 9112 §4, §6.3) for the client
/// and for round-trip tests. Same contract as <see cref="Http1RequestParser"/>: whole lines
/// only, its own small state between calls, <see cref="Http1Rejection"/> for bad input. The
/// request method must be given, since a response to HEAD has no body (§6.3 item 1). One per
/// connection; not thread-safe.
/// </summary>
internal sealed class Http1ResponseParser : IDisposable
{
    private readonly int _maxStatusLine;
    private readonly ChunkedBodyDecoder _chunked;
    private Http1FieldSection _headers;
    private byte[]? _scratch;
    private int _state;
    private Http1Version _version;
    private int _statusCode;
    private long _contentLength;
    private int _transferCodings;
    private Http1ConnectionOptions _connection;
    private Http1BodyFraming _framing;
    private long _bodyRemaining;

    /// <summary>A parser with the given limits (status line without CRLF; header bytes and count; decoded body, null: none).</summary>
    public Http1ResponseParser(int maxStatusLineSize = 8 * 1024, int maxHeadersTotalSize = 64 * 1024, int maxHeaderCount = 200, long? maxBodySize = null)
    {
        _maxStatusLine = maxStatusLineSize;
        _headers = new Http1FieldSection(maxHeadersTotalSize, maxHeaderCount, trailers: false);
        _chunked = new ChunkedBodyDecoder(4096, maxHeadersTotalSize, maxHeaderCount, maxBodySize);
    }

    /// <summary>Whether the head is complete and the body is being read.</summary>
    public bool InBody => _state == 2;

    /// <summary>
    /// Parses the status line and header section of the response to a
    /// <paramref name="requestMethod"/> request. True when the head is complete.
    /// </summary>
    /// <exception cref="Http1Rejection">malformed response.</exception>
    public bool TryParseHead<THandler>(ref SequenceReader<byte> reader, ref THandler handler, Http1Method requestMethod)
        where THandler : struct, IHttp1ResponseHandler
    {
        if (_state == 2) throw new InvalidOperationException("TryParseHead called while reading a body");
        if (_state == 0)
        {
            if (!Http1LineReader.TryReadLine(ref reader, _maxStatusLine + 2L, Http1RejectionReason.InvalidStatusLine, ref _scratch, out var line)) return false;
            ParseStatusLine(line, ref handler);
            _headers.Reset();
            _contentLength = -1;
            _transferCodings = 0;
            _connection = Http1ConnectionOptions.None;
            _state = 1;
        }

        while (true)
        {
            var status = _headers.TryReadField(ref reader, ref _scratch, out var name, out var value);
            if (status == Http1FieldLineStatus.NeedMoreData) return false;
            if (status == Http1FieldLineStatus.End) break;
            if (Ascii.EqualsIgnoreCase(name, "content-length"u8)) Http1Compliance.AddContentLength(value, ref _contentLength);
            else if (Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8)) Http1Compliance.AddTransferCodings(value, ref _transferCodings);
            else if (Ascii.EqualsIgnoreCase(name, "connection"u8)) _connection |= Http1Compliance.ParseConnection(value);
            handler.OnHeader(name, value);
        }

        _framing = Http1Compliance.DecideResponseFraming(_statusCode, requestMethod, _contentLength, _transferCodings);
        _bodyRemaining = _framing == Http1BodyFraming.ContentLength ? _contentLength : 0;
        if (_framing == Http1BodyFraming.Chunked) _chunked.Reset();
        _state = 2;
        handler.OnHeadersComplete(new Http1ResponseHead(_version, _statusCode, _framing, _framing == Http1BodyFraming.ContentLength ? _contentLength : -1, _connection));
        return true;
    }

    /// <summary>
    /// Reads body bytes. True when the body is complete (then the parser waits for the next
    /// status line). A close-delimited body completes only through <see cref="CompleteAtEndOfInput"/>.
    /// </summary>
    /// <exception cref="Http1Rejection">bad chunk framing or a body past the limit.</exception>
    public bool TryParseBody<THandler>(ref SequenceReader<byte> reader, ref THandler handler)
        where THandler : struct, IHttp1ResponseHandler
    {
        if (_state != 2) throw new InvalidOperationException("TryParseBody called before the head is complete");
        switch (_framing)
        {
            case Http1BodyFraming.ContentLength:
            case Http1BodyFraming.CloseDelimited:
                while (_framing == Http1BodyFraming.CloseDelimited || _bodyRemaining > 0)
                {
                    var span = reader.UnreadSpan;
                    if (span.IsEmpty) return false;
                    var take = _framing == Http1BodyFraming.CloseDelimited ? span.Length : (int)Math.Min(span.Length, _bodyRemaining);
                    handler.OnBody(span[..take]);
                    reader.Advance(take);
                    _bodyRemaining -= take;
                }

                break;
            case Http1BodyFraming.Chunked:
                if (!_chunked.TryDecode(ref reader, ref handler)) return false;
                break;
        }

        _state = 0;
        return true;
    }

    /// <summary>
    /// The connection's input ended. Returns true when that completes a close-delimited body,
    /// false when no response was in progress; throws when it truncates a framed response.
    /// </summary>
    /// <exception cref="Http1Rejection">a head or a length-delimited or chunked body was cut short.</exception>
    public bool CompleteAtEndOfInput()
    {
        if (_state == 2 && _framing == Http1BodyFraming.CloseDelimited)
        {
            _state = 0;
            return true;
        }

        if (_state == 0) return false;
        Http1Rejection.Throw(Http1RejectionReason.InvalidStatusLine, "response truncated by end of input");
        return false;
    }

    /// <summary>Returns the pooled scratch buffers.</summary>
    public void Dispose()
    {
        Http1LineReader.ReturnScratch(ref _scratch);
        _chunked.Dispose();
    }

    private void ParseStatusLine<THandler>(ReadOnlySpan<byte> line, ref THandler handler)
        where THandler : struct, IHttp1ResponseHandler
    {
        // RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ]
        if (line.Length < 12 || line[8] != (byte)' ') Http1Rejection.Throw(Http1RejectionReason.InvalidStatusLine);
        _version = Http1Compliance.ParseVersion(line[..8], Http1RejectionReason.InvalidStatusLine);
        var code = line.Slice(9, 3);
        if (code.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0 || code[0] == (byte)'0') Http1Rejection.Throw(Http1RejectionReason.InvalidStatusLine, "status code");
        _statusCode = ((code[0] - '0') * 100) + ((code[1] - '0') * 10) + (code[2] - '0');
        var reason = ReadOnlySpan<byte>.Empty;
        if (line.Length > 12)
        {
            if (line[12] != (byte)' ') Http1Rejection.Throw(Http1RejectionReason.InvalidStatusLine);
            reason = line[13..];
            if (reason.IndexOfAny(Http1Compliance.InvalidFieldValueChars) >= 0) Http1Rejection.Throw(Http1RejectionReason.InvalidStatusLine, "reason phrase");
        }

        handler.OnStatusLine(_version, _statusCode, reason);
    }
}
