using System.Buffers;
using Akka;
using Akka.Event;
using Akka.IO;
using Akka.Streams.Dsl;
using Akka.Streams.Stage;
using Epsilon.Actors.Http.Connections;
using Epsilon.Actors.Http.Http1.Parsing;
using Epsilon.Actors.Http.Http1.Rendering;
using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server;

namespace Epsilon.Actors.Http.Http1;

internal sealed partial class Http1ServerStage
{
    /// <summary>The reading side: heads, request entities, draining, rejections.</summary>
    private sealed partial class Logic
    {
        // Decoded request-body bytes on their way into one element; created on the first body.
        private ArrayBufferWriter<byte>? _bodyBuffer;
        private Http1RequestHead _head;

        private ArrayBufferWriter<byte> Body => _bodyBuffer ??= new ArrayBufferWriter<byte>(4096);
        private HttpMethod _method = HttpMethod.Get;
        private string _target = "/";
        private Http1Version _version;
        private bool _discardBody;
        private bool _processing;
        private long _drained;

        private long _sequence = -1;
        private bool _serverAnswered;
        private SubSourceOutlet<ByteString>? _requestBody;
        private bool _requestBodyPulled;
        private bool _requestBodyStarted;
        private bool _requestBodyDone = true;

        /// <summary>Makes every step the buffered bytes and the state allow.</summary>
        private void Process()
        {
            // Re-entered when a synchronous handler's response completes inside StartExchange:
            // the outer loop carries on from the new state.
            if (_processing) return;
            _processing = true;
            try
            {
                ProcessSteps();
            }
            finally
            {
                _processing = false;
                if (_start == _end) ReleaseBuffer();
            }
        }

        private void ProcessSteps()
        {
            while (true)
            {
                switch (State)
                {
                    case Http1ConnectionState.ReadingHead:
                        if (!_machine.CanReadNextRequest)
                        {
                            BeginClose();
                            return;
                        }

                        // Responses the transport has not taken yet bound how far a pipelining
                        // client can get ahead; OnPull resumes.
                        if (_outQueue.Count >= _settings.MaxPipelinedRequests) return;

                        if (Buffered > 0) _machine.OnHeadBytesReceived(Now);
                        if (!TryParse(static (Logic l, ref SequenceReader<byte> r) => l.ParseHeadStep(ref r), out var complete)) return;
                        if (!complete)
                        {
                            NeedInput();
                            UpdateTimer();
                            return;
                        }

                        StartExchange();
                        break;

                    case Http1ConnectionState.Exchange:
                        if (_requestBodyPulled) PumpRequestBody();
                        else if (_inputFinished && Buffered == 0 && !_requestBodyDone) NeedInput();
                        return;

                    case Http1ConnectionState.Draining:
                        var before = Buffered;
                        if (!TryParse(static (Logic l, ref SequenceReader<byte> r) => l.ParseBodyStep(ref r), out var drained)) return;
                        _drained += before - Buffered;
                        _machine.OnBodyBytesReceived(before - Buffered, Now);
                        if (_drained > _settings.MaxRequestBodyDrainSize)
                        {
                            Log.Debug("HTTP connection from {0}: unread request body over {1} bytes; closing instead of draining", Remote, _settings.MaxRequestBodyDrainSize);
                            BeginClose();
                            return;
                        }

                        if (!drained)
                        {
                            NeedInput();
                            UpdateTimer();
                            return;
                        }

                        _discardBody = false;
                        _machine.OnRequestBodyComplete(Now);
                        break;

                    default:
                        return;
                }
            }
        }

        private bool ParseHeadStep(ref SequenceReader<byte> reader)
        {
            var handler = new ParserCallbacks(this);
            return _parser.TryParseHead(ref reader, ref handler);
        }

        private bool ParseBodyStep(ref SequenceReader<byte> reader)
        {
            var handler = new ParserCallbacks(this);
            return _parser.TryParseBody(ref reader, ref handler);
        }

        private delegate bool ParseStep(Logic logic, ref SequenceReader<byte> reader);

        /// <summary>Runs a parser step over the buffered bytes; a rejection is answered (then the connection closes) and false returned.</summary>
        private bool TryParse(ParseStep step, out bool complete)
        {
            var reader = new SequenceReader<byte>(Unread);
            try
            {
                complete = step(this, ref reader);
            }
            catch (Http1Rejection rejection)
            {
                complete = false;
                Reject(rejection);
                return false;
            }

            Consume(reader.Consumed);
            return true;
        }

        private void Reject(Http1Rejection rejection)
        {
            Log.Debug("HTTP request from {0} rejected: {1}", Remote, rejection.Message);
            FailRequestBody(rejection);
            var sequence = _machine.OnRejected(rejection.StatusCode, Now);
            if (sequence < 0)
            {
                // The response to the failing request is already under way: only a cut can tell the client.
                FailStage(rejection);
                return;
            }

            AnswerAndClose(sequence);
        }

        // ---- parser callbacks ----
        internal void OnRequestLine(Http1RequestLine line)
        {
            _method = HttpMethod.Parse(line.MethodToken);
            _target = _headerCache.Target(line.Target);
            _version = line.Version;
            _headerCache.Begin();
        }

        internal void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) => _headerCache.Add(name, value);

        internal void OnHeadersComplete(in Http1RequestHead head) => _head = head;

        internal void OnBody(ReadOnlySpan<byte> data)
        {
            if (!_discardBody) Body.Write(data);
        }

        // ---- exchanges ----
        private void StartExchange()
        {
            var now = Now;
            var headers = _headerCache.Complete();
            var decision = _machine.OnRequestHead(_head, now);
            _sequence = decision.Sequence;
            _serverAnswered = false;
            _requestHeaders = headers;

            if (decision.Action == Http1RequestAction.RespondExpectationFailed)
            {
                _serverAnswered = true;
                if (!_head.HasBody) TryParse(static (Logic l, ref SequenceReader<byte> r) => l.ParseBodyStep(ref r), out _);
                WriteServerAnswer(_sequence);
                return;
            }

            if (_machine.MayUpgrade(_sequence) && ClaimedUpgrade(headers) is { } claimed)
            {
                // A protocol of ours (h2c later) takes the connection without a handler.
                if (!TryParse(static (Logic l, ref SequenceReader<byte> r) => l.ParseBodyStep(ref r), out _)) return;
                _requestBodyDone = true;
                _serverAnswered = true;
                SwitchProtocols(claimed.UpgradeToken!, HttpHeaders.Empty, claimed.Serve(UpgradedConnection()));
                return;
            }

            HttpEntity entity;
            if (!_head.HasBody)
            {
                // Lets the parser finish the (empty) body and wait for the next request line.
                if (!TryParse(static (Logic l, ref SequenceReader<byte> r) => l.ParseBodyStep(ref r), out _)) return;
                _requestBodyDone = true;
                entity = HttpEntity.Empty;
            }
            else if (_head.Framing == Http1BodyFraming.ContentLength && _head.ContentLength <= Buffered && _head.ContentLength <= _settings.StrictRequestBodySize)
            {
                Body.ResetWrittenCount();
                if (!TryParse(static (Logic l, ref SequenceReader<byte> r) => l.ParseBodyStep(ref r), out _)) return;
                _machine.OnBodyBytesReceived(Body.WrittenCount, now);
                _machine.OnRequestBodyComplete(now);
                _requestBodyDone = true;
                entity = new HttpEntity.Strict(ContentTypeOf(headers), ByteString.FromBytes(Body.WrittenSpan.ToArray()));
                Body.ResetWrittenCount();
            }
            else
            {
                entity = StartStreamedBody(headers);
            }

            var request = new HttpRequest(_method, _target, headers, entity,
                _version == Http1Version.Http11 ? HttpProtocol.Http11 : HttpProtocol.Http10, aborted: _aborted.Token, connection: _stage._connection.Info);
            Dispatch(request);
        }

        private static ContentType? ContentTypeOf(HttpHeaders headers) =>
            headers.Get(KnownHeader.ContentType) is { } value ? ContentType.Parse(value) : null;

        private HttpEntity StartStreamedBody(HttpHeaders headers)
        {
            var outlet = new SubSourceOutlet<ByteString>(this, "Http1ServerStage.requestBody");
            outlet.SetHandler(new RequestBodyHandler(this, outlet));
            _requestBody = outlet;
            _requestBodyPulled = false;
            _requestBodyStarted = false;
            _requestBodyDone = false;
            long? length = _head.Framing == Http1BodyFraming.ContentLength ? _head.ContentLength : null;
            return new HttpEntity.Streamed(ContentTypeOf(headers), length, Source.FromGraph(outlet.Source));
        }

        /// <summary>The handler pulled the request body.</summary>
        private void OnRequestBodyPull(SubSourceOutlet<ByteString> outlet)
        {
            if (outlet != _requestBody || State != Http1ConnectionState.Exchange) return;
            var now = Now;
            if (!_requestBodyStarted)
            {
                _requestBodyStarted = true;
                try
                {
                    // A Content-Length over the limit is refused here, before 100 Continue invites it.
                    _parser.StartBody();
                }
                catch (Http1Rejection rejection)
                {
                    Reject(rejection);
                    return;
                }

                if (_machine.OnBodyReadRequested(now))
                {
                    _writer.ResetWrittenCount();
                    Http1ResponseWriter.WriteContinue(_writer);
                    WriteWriter();
                }
            }
            else
            {
                _machine.OnBodyReadResumed(now);
            }

            _requestBodyPulled = true;
            PumpRequestBody();
            UpdateTimer();
        }

        /// <summary>The handler cancelled the request body: the rest is drained (or the connection closed) after the response.</summary>
        private void OnRequestBodyCancel(SubSourceOutlet<ByteString> outlet)
        {
            if (outlet != _requestBody) return;
            _requestBody = null;
            _requestBodyPulled = false;
            _machine.OnBodyReadPaused(Now);
        }

        /// <summary>Decodes buffered body bytes into one element for the pulled request body; reads more when none are buffered.</summary>
        private void PumpRequestBody()
        {
            var outlet = _requestBody!;
            Body.ResetWrittenCount();
            var before = Buffered;
            if (!TryParse(static (Logic l, ref SequenceReader<byte> r) => l.ParseBodyStep(ref r), out var complete)) return;
            var now = Now;
            _machine.OnBodyBytesReceived(before - Buffered, now);
            if (Body.WrittenCount > 0)
            {
                _requestBodyPulled = false;
                outlet.Push(ByteString.FromBytes(Body.WrittenSpan.ToArray()));
                Body.ResetWrittenCount();
                if (!complete) _machine.OnBodyReadPaused(now);
            }

            if (complete)
            {
                _requestBodyDone = true;
                _requestBodyPulled = false;
                _requestBody = null;
                outlet.Complete();
                _machine.OnRequestBodyComplete(now);
                return;
            }

            if (_requestBodyPulled) NeedInput();
        }

        private void FailRequestBody(Exception cause)
        {
            var outlet = _requestBody;
            _requestBody = null;
            _requestBodyPulled = false;
            if (outlet is not null && !outlet.IsClosed) outlet.Fail(cause);
        }

        /// <summary>Handles the request body's demand inside the stage (the sub-source's callbacks arrive on the stage's thread).</summary>
        private sealed class RequestBodyHandler(Logic logic, SubSourceOutlet<ByteString> outlet) : OutHandler
        {
            public override void OnPull() => logic.OnRequestBodyPull(outlet);

            public override void OnDownstreamFinish(Exception cause) => logic.OnRequestBodyCancel(outlet);
        }

        /// <summary>The parser's struct handler: calls go straight to the logic (nothing boxed).</summary>
        private readonly struct ParserCallbacks(Logic logic) : IHttp1RequestHandler
        {
            public void OnRequestLine(Http1RequestLine line) => logic.OnRequestLine(line);

            public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) => logic.OnHeader(name, value);

            public void OnHeadersComplete(in Http1RequestHead head) => logic.OnHeadersComplete(head);

            public void OnBody(ReadOnlySpan<byte> data) => logic.OnBody(data);

            public void OnTrailer(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
            {
            }
        }
    }
}
