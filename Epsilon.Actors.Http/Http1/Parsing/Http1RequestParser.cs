using System.Buffers;
using System.Text;
using Epsilon.Actors.Http.Settings;

namespace Epsilon.Actors.Http.Http1.Parsing;

/// <summary>
/// Incremental, allocation-free HTTP/1.x request parser (RFC 9112) over
/// <see cref="SequenceReader{T}"/>, one instance per connection; not thread-safe.
/// </summary>
/// <remarks>
/// <para>
/// Call <see cref="TryParseHead{THandler}"/> until it returns true (request line and every
/// header field were handed to the handler, then <see cref="IHttp1RequestHandler.OnHeadersComplete"/>),
/// then <see cref="TryParseBody{THandler}"/> until it returns true (the body was handed over and
/// the parser is ready for the next request). The shell decides when to read the body (for
/// <c>Expect: 100-continue</c> and back-pressure).
/// </para>
/// <para>
/// Incremental contract: the parser consumes whole lines only. A line that has not fully arrived
/// is left in the reader (false is returned), so the caller keeps the unconsumed bytes and calls
/// again with more appended. Between lines it keeps its own small state (where it is, header
/// counts and budget, the framing fields seen, body bytes left). Body data is consumed and handed
/// over as it arrives. Lines that span segments are copied to a pooled scratch buffer, so
/// segment boundaries never change the result. Bad input throws <see cref="Http1Rejection"/>
/// (the state becomes <see cref="Http1RequestParserState.Failed"/>); the shell answers with its
/// status and closes. Dispose returns the scratch buffers.
/// </para>
/// </remarks>
internal sealed class Http1RequestParser : IDisposable
{
    private readonly HttpServerSettings _settings;
    private readonly ChunkedBodyDecoder _chunked;
    private Http1FieldSection _headers;
    private byte[]? _scratch;
    private Http1RequestParserState _state;

    private Http1Method _method;
    private Http1Version _version;
    private Http1RequestTargetForm _targetForm;
    private long _contentLength;
    private int _transferCodings;
    private int _hostCount;
    private Http1ConnectionOptions _connection;
    private Http1Expectation _expect;
    private bool _hasUpgrade;
    private Http1BodyFraming _framing;
    private long _bodyRemaining;
    private long? _maxBodySize;
    private bool _bodyStarted;

    /// <summary>A parser enforcing the limits of <paramref name="settings"/>.</summary>
    public Http1RequestParser(HttpServerSettings settings)
    {
        _settings = settings;
        _headers = new Http1FieldSection(settings.MaxRequestHeadersTotalSize, settings.MaxRequestHeaderCount, trailers: false);
        _chunked = new ChunkedBodyDecoder(settings.MaxChunkExtensionSize, settings.MaxRequestHeadersTotalSize, settings.MaxRequestHeaderCount, settings.MaxRequestBodySize);
    }

    /// <summary>Where the parser is in the current request.</summary>
    public Http1RequestParserState State => _state;

    /// <summary>Framing of the request whose body is being read (valid in <see cref="Http1RequestParserState.Body"/>).</summary>
    public Http1BodyFraming Framing => _framing;

    /// <summary>Body bytes still expected for a Content-Length body; -1 for chunked (unknown); 0 otherwise.</summary>
    public long BodyRemaining => _framing switch
    {
        Http1BodyFraming.ContentLength => _bodyRemaining,
        Http1BodyFraming.Chunked => -1,
        _ => 0,
    };

    /// <summary>
    /// Replaces <see cref="HttpServerSettings.MaxRequestBodySize"/> for the request whose body is
    /// about to be read (Kestrel's per-request limit: an upload route may allow more, another
    /// less). Call after the head and before the first <see cref="TryParseBody{THandler}"/>; the
    /// next request has the default again.
    /// </summary>
    /// <exception cref="InvalidOperationException">not between the head and the first body call.</exception>
    public void LimitBodySize(long? maxBodySize)
    {
        if (_state != Http1RequestParserState.Body || _bodyStarted) throw new InvalidOperationException($"LimitBodySize called in state {_state} (body started: {_bodyStarted})");
        _maxBodySize = maxBodySize;
        if (_framing == Http1BodyFraming.Chunked) _chunked.LimitBodySize(maxBodySize);
    }

    /// <summary>
    /// Starts reading the body: a Content-Length above the body limit (the setting, or
    /// <see cref="LimitBodySize"/>) is rejected here with 413, before any body byte is consumed.
    /// The first <see cref="TryParseBody{THandler}"/> calls it; a shell calls it itself before
    /// writing <c>100 Continue</c>, so a body that is too large is refused without inviting it.
    /// Later calls do nothing.
    /// </summary>
    /// <exception cref="Http1Rejection">413: the Content-Length is above the limit.</exception>
    /// <exception cref="InvalidOperationException">called before the head is complete.</exception>
    public void StartBody()
    {
        if (_state != Http1RequestParserState.Body) throw new InvalidOperationException($"StartBody called in state {_state}");
        if (_bodyStarted) return;
        _bodyStarted = true;
        if (_framing == Http1BodyFraming.ContentLength && _contentLength > _maxBodySize)
        {
            _state = Http1RequestParserState.Failed;
            Http1Rejection.Throw(Http1RejectionReason.BodyTooLarge);
        }
    }

    /// <summary>
    /// Parses the request line and header section. Returns true when the head is complete (the
    /// handler has had every callback up to <see cref="IHttp1RequestHandler.OnHeadersComplete"/>);
    /// false when more input is needed, with any partial line left unconsumed.
    /// </summary>
    /// <exception cref="Http1Rejection">bad input: 400, 414, 431, 501, 505.</exception>
    /// <exception cref="InvalidOperationException">called while a body is being read, or after a rejection.</exception>
    public bool TryParseHead<THandler>(ref SequenceReader<byte> reader, ref THandler handler)
        where THandler : struct, IHttp1RequestHandler
    {
        if (_state is Http1RequestParserState.Body or Http1RequestParserState.Failed)
            throw new InvalidOperationException($"TryParseHead called in state {_state}");
        try
        {
            if (_state == Http1RequestParserState.RequestLine && !TryParseRequestLine(ref reader, ref handler)) return false;
            return TryParseHeaders(ref reader, ref handler);
        }
        catch (Http1Rejection)
        {
            _state = Http1RequestParserState.Failed;
            throw;
        }
    }

    /// <summary>
    /// Reads body bytes: every available byte of the body goes to <see cref="IHttp1BodyHandler.OnBody"/>
    /// (consumed), trailers to <see cref="IHttp1BodyHandler.OnTrailer"/>. Returns true when the
    /// body is complete (at once for a request without one); the parser then waits for the next
    /// request line. Bytes after the body are left in the reader.
    /// </summary>
    /// <exception cref="Http1Rejection">
    /// a Content-Length above the body limit (413, on the first call, before any byte is
    /// consumed), a chunked body growing past it (413), bad chunk framing (400), trailers too large (431).
    /// </exception>
    /// <exception cref="InvalidOperationException">called before the head is complete.</exception>
    public bool TryParseBody<THandler>(ref SequenceReader<byte> reader, ref THandler handler)
        where THandler : struct, IHttp1RequestHandler
    {
        if (!_bodyStarted) StartBody();
        switch (_framing)
        {
            case Http1BodyFraming.ContentLength:
                while (_bodyRemaining > 0)
                {
                    var span = reader.UnreadSpan;
                    if (span.IsEmpty) return false;
                    var take = (int)Math.Min(span.Length, _bodyRemaining);
                    handler.OnBody(span[..take]);
                    reader.Advance(take);
                    _bodyRemaining -= take;
                }

                break;

            case Http1BodyFraming.Chunked:
                try
                {
                    if (!_chunked.TryDecode(ref reader, ref handler)) return false;
                }
                catch (Http1Rejection)
                {
                    _state = Http1RequestParserState.Failed;
                    throw;
                }

                break;
        }

        _state = Http1RequestParserState.RequestLine;
        _framing = Http1BodyFraming.None;
        return true;
    }

    /// <summary>Returns the pooled scratch buffers; the parser must not be used afterwards.</summary>
    public void Dispose()
    {
        Http1LineReader.ReturnScratch(ref _scratch);
        _chunked.Dispose();
        _state = Http1RequestParserState.Failed;
    }

    private bool TryParseRequestLine<THandler>(ref SequenceReader<byte> reader, ref THandler handler)
        where THandler : struct, IHttp1RequestHandler
    {
        // RFC 9112 §2.2: a server SHOULD ignore at least one empty line (CRLF) before the request line.
        while (reader.TryPeek(out var b) && b == (byte)'\r')
        {
            if (!reader.TryPeek(1, out var next)) return false;
            if (next != (byte)'\n') Http1Rejection.Throw(Http1RejectionReason.InvalidLineTerminator, "CR without LF");
            reader.Advance(2);
        }

        if (!Http1LineReader.TryReadLine(ref reader, _settings.MaxRequestLineSize + 2L, Http1RejectionReason.RequestLineTooLong, ref _scratch, out var line))
            return false;

        var requestLine = Http1Compliance.ParseRequestLine(line);
        _method = requestLine.Method;
        _version = requestLine.Version;
        _targetForm = requestLine.TargetForm;
        _contentLength = -1;
        _transferCodings = 0;
        _hostCount = 0;
        _connection = Http1ConnectionOptions.None;
        _expect = Http1Expectation.None;
        _hasUpgrade = false;
        _headers.Reset();
        _state = Http1RequestParserState.Headers;
        handler.OnRequestLine(requestLine);
        return true;
    }

    private bool TryParseHeaders<THandler>(ref SequenceReader<byte> reader, ref THandler handler)
        where THandler : struct, IHttp1RequestHandler
    {
        while (true)
        {
            var status = _headers.TryReadField(ref reader, ref _scratch, out var name, out var value);
            if (status == Http1FieldLineStatus.NeedMoreData) return false;
            if (status == Http1FieldLineStatus.End) break;
            Inspect(name, value);
            handler.OnHeader(name, value);
        }

        _framing = Http1Compliance.DecideRequestFraming(_version, _hostCount, _contentLength, _transferCodings);
        _maxBodySize = _settings.MaxRequestBodySize;
        _bodyStarted = false;
        _bodyRemaining = _framing == Http1BodyFraming.ContentLength ? _contentLength : 0;
        if (_framing == Http1BodyFraming.Chunked) _chunked.Reset();
        _state = Http1RequestParserState.Body;
        var head = new Http1RequestHead(_method, _version, _targetForm, _framing, _framing == Http1BodyFraming.ContentLength ? _contentLength : -1, _connection, _expect, _hasUpgrade);
        handler.OnHeadersComplete(head);
        return true;
    }

    /// <summary>Folds the fields that steer framing and the connection into the head's state.</summary>
    private void Inspect(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        switch (name.Length)
        {
            case 4 when Ascii.EqualsIgnoreCase(name, "host"u8):
                _hostCount++;
                Http1Compliance.CheckHost(value);
                break;
            case 6 when Ascii.EqualsIgnoreCase(name, "expect"u8):
                _expect = Http1Compliance.AddExpectation(value, _expect);
                break;
            case 7 when Ascii.EqualsIgnoreCase(name, "upgrade"u8):
                _hasUpgrade = true;
                break;
            case 10 when Ascii.EqualsIgnoreCase(name, "connection"u8):
                _connection |= Http1Compliance.ParseConnection(value);
                break;
            case 14 when Ascii.EqualsIgnoreCase(name, "content-length"u8):
                Http1Compliance.AddContentLength(value, ref _contentLength);
                break;
            case 17 when Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8):
                Http1Compliance.AddTransferCodings(value, ref _transferCodings);
                break;
        }
    }
}
