using System.Buffers;
using System.Buffers.Text;
using Akka.Event;
using Akka.IO;
using Akka.Streams.Dsl;
using Akka.Streams.Stage;
using Epsilon.Actors.Http.Http1.Parsing;
using Epsilon.Actors.Http.Http1.Rendering;
using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server;

namespace Epsilon.Actors.Http.Http1;

internal sealed partial class Http1ServerStage
{
    /// <summary>The writing side: calling the handler, rendering responses, streaming their bodies.</summary>
    private sealed partial class Logic
    {
        private static readonly Action<Task<HttpResponse>, object?> s_handlerDone = static (task, state) => ((Action<Task<HttpResponse>>)state!)(task);
        private static readonly ByteString s_crlf = ByteString.FromBytes("\r\n"u8.ToArray());
        private static readonly ByteString s_lastChunk = ByteString.FromBytes("0\r\n\r\n"u8.ToArray());

        private SubSinkInlet<ByteString>? _responseBody;
        private HttpResponse? _lastResponse;
        private Http1ResponsePlan _lastPlan;
        private long _lastSecond;
        private ByteString? _lastBytes;
        private Http1BodyFraming _responseFraming;
        private long _responseRemaining;

        private void Dispatch(HttpRequest request)
        {
            ValueTask<HttpResponse> pending;
            try
            {
                pending = _handler!.Handler(request);
            }
            catch (Exception e)
            {
                HandlerFailed(e);
                return;
            }

            if (pending.IsCompletedSuccessfully)
            {
                Respond(pending.Result);
                return;
            }

            pending.AsTask().ContinueWith(s_handlerDone, _onHandlerDone, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        private void OnHandlerDone(Task<HttpResponse> task)
        {
            if (State != Http1ConnectionState.Exchange || _serverAnswered || _sequence < 0) return;
            if (task.IsCompletedSuccessfully) Respond(task.Result);
            else HandlerFailed(task.Exception?.GetBaseException() ?? new OperationCanceledException("The handler's task was cancelled."));
        }

        private void HandlerFailed(Exception error)
        {
            if (_handler!.FailureFailsConnection)
            {
                Log.Debug("HTTP handler flow for {0} failed; closing the connection: {1}", Remote, error.Message);
                FailStage(error);
                return;
            }

            Respond(HttpHandlers.ResponseFor(error));
        }

        private void Respond(HttpResponse? response)
        {
            if (State != Http1ConnectionState.Exchange || _serverAnswered || _sequence < 0) return;
            response = Checked(response);
            if (response.UpgradeFlow is { } flow)
            {
                SwitchProtocols(response.UpgradeProtocol!, response.Headers, flow);
                return;
            }

            var entity = response.Entity;
            if (entity is not HttpEntity.Strict && _machine.DefersHeadForContinue(_sequence, response.StatusCode.Code))
            {
                // The body may be the request's own: its first read sends 100 Continue, and the
                // head follows with the body's first chunk.
                _deferredHead = response;
                StartResponseBody(entity.DataBytes);
                return;
            }

            var now = Now;
            var cached = _lastResponse;
            var plan = _machine.OnResponseStart(_sequence, response.StatusCode.Code, entity.ContentLength ?? -1, WantsClose(response), now);
            var utcNow = DateTimeOffset.UtcNow;
            var second = _settings.AddDateHeader ? utcNow.ToUnixTimeSeconds() : 0;
            if (ReferenceEquals(response, cached) && plan == _lastPlan && second == _lastSecond && _lastBytes is { } again)
            {
                // The same (immutable) response object, rendered the same way within the same
                // second: the bytes are identical, so the previous ByteString is written again.
                Write(again);
                ResponseDone();
                return;
            }

            _writer.ResetWrittenCount();
            try
            {
                WriteHead(plan, response, utcNow);
            }
            catch (ArgumentException e)
            {
                Log.Warning("HTTP response to {0} {1} has a header that cannot be written ({2}); closing the connection", _method.Name, _target, e.Message);
                _writer.ResetWrittenCount();
                FailStage(e);
                return;
            }

            if (entity is HttpEntity.Strict strict)
            {
                var data = strict.Data;
                if (!plan.SendBody || data.Count <= _settings.InlineResponseBodySize)
                {
                    if (plan.SendBody && data.Count > 0) _writer.Write(data.ToReadOnlySpan());
                    _lastBytes = ByteString.FromBytes(_writer.WrittenSpan.ToArray());
                    _writer.ResetWrittenCount();
                    _lastResponse = response;
                    _lastPlan = plan;
                    _lastSecond = second;
                    Write(_lastBytes);
                }
                else
                {
                    WriteWriter();
                    Write(data);
                }

                ResponseDone();
                return;
            }

            WriteWriter();
            if (!plan.SendBody)
            {
                // HEAD, 204, 304: the source is never run.
                ResponseDone();
                return;
            }

            SetResponseFraming(plan);
            StartResponseBody(entity.DataBytes);
        }

        /// <summary>A request body left unread that is too long to drain: the response says so now rather than only closing after.</summary>
        private bool WantsClose(HttpResponse response) =>
            Http1HeaderTokens.Contains(response.Headers.Get(KnownHeader.Connection), "close")
            || (!_requestBodyDone && !_requestBodyPulled && _parser.BodyRemaining > _settings.MaxRequestBodyDrainSize);

        /// <summary>Writes the head of a response whose head waited for its body's first chunk (or end).</summary>
        private bool WriteDeferredHead()
        {
            var response = _deferredHead!;
            _deferredHead = null;
            var plan = _machine.OnResponseStart(_sequence, response.StatusCode.Code, response.Entity.ContentLength ?? -1, WantsClose(response), Now);
            _writer.ResetWrittenCount();
            try
            {
                WriteHead(plan, response, DateTimeOffset.UtcNow);
            }
            catch (ArgumentException e)
            {
                Log.Warning("HTTP response to {0} {1} has a header that cannot be written ({2}); closing the connection", _method.Name, _target, e.Message);
                _writer.ResetWrittenCount();
                FailStage(e);
                return false;
            }

            WriteWriter();
            SetResponseFraming(plan);
            return true;
        }

        private void SetResponseFraming(in Http1ResponsePlan plan)
        {
            _responseFraming = plan.Framing;
            _responseRemaining = plan.ContentLength;
        }

        private void WriteHead(in Http1ResponsePlan plan, HttpResponse response, DateTimeOffset utcNow)
        {
            Http1ResponseWriter.WriteResponseHead(_writer, plan);
            var headers = response.Headers;
            if (_settings.AddDateHeader && !headers.Contains(KnownHeader.Date)) Http1ResponseWriter.WriteDate(_writer, _date, utcNow);
            if (_settings.ServerHeader is { } server && !headers.Contains(KnownHeader.Server)) Http1ResponseWriter.WriteField(_writer, "Server", server);
            if (response.Entity.ContentType is { } contentType && plan.StatusCode is not (204 or 304)) Http1ResponseWriter.WriteField(_writer, "Content-Type", contentType.Value);
            foreach (var header in headers)
            {
                // The plan owns framing and persistence; the entity owns the type.
                if (header.Id is KnownHeader.ContentLength or KnownHeader.TransferEncoding or KnownHeader.Connection or KnownHeader.ContentType) continue;
                Http1ResponseWriter.WriteField(_writer, header.Name, header.Value);
            }

            Http1ResponseWriter.EndHead(_writer);
        }

        private void StartResponseBody(Akka.Streams.Dsl.Source<ByteString, Akka.NotUsed> source)
        {
            var inlet = new SubSinkInlet<ByteString>(this, "Http1ServerStage.responseBody");
            inlet.SetHandler(new ResponseBodyHandler(this, inlet));
            _responseBody = inlet;
            try
            {
                source.RunWith(inlet.Sink, SubFusingMaterializer);
            }
            catch (Exception e)
            {
                Log.Warning("HTTP response body of {0} {1} could not start: {2}", _method.Name, _target, e.Message);
                FailStage(e);
                return;
            }

            PullResponseBody();
        }

        /// <summary>Pulls the next chunk of a streamed response when the transport has asked for bytes and nothing is queued.</summary>
        private void PullResponseBody()
        {
            var inlet = _responseBody;
            if (inlet is null || inlet.IsClosed || inlet.HasBeenPulled) return;
            // A deferred head waits for the first chunk whatever the transport's demand.
            if (_deferredHead is null && (_outQueue.Count > 0 || !IsAvailable(_stage.Out))) return;
            inlet.Pull();
        }

        private void OnResponseBodyPush(SubSinkInlet<ByteString> inlet)
        {
            if (inlet != _responseBody) return;
            var chunk = inlet.Grab();
            if (chunk.Count == 0)
            {
                PullResponseBody();
                return;
            }

            if (_deferredHead is not null && !WriteDeferredHead()) return;

            switch (_responseFraming)
            {
                case Http1BodyFraming.ContentLength:
                    if (chunk.Count > _responseRemaining)
                    {
                        FailResponse(new InvalidOperationException($"The response body of {_method.Name} {_target} is longer than its declared Content-Length."));
                        return;
                    }

                    _responseRemaining -= chunk.Count;
                    Write(chunk);
                    break;

                case Http1BodyFraming.Chunked:
                    Write(ChunkHeader(chunk.Count).Concat(chunk).Concat(s_crlf));
                    break;

                default:
                    Write(chunk);
                    break;
            }
        }

        private void OnResponseBodyFinish(SubSinkInlet<ByteString> inlet)
        {
            if (inlet != _responseBody) return;
            _responseBody = null;
            if (_deferredHead is not null && !WriteDeferredHead()) return;
            if (_responseFraming == Http1BodyFraming.ContentLength && _responseRemaining != 0)
            {
                FailResponse(new InvalidOperationException($"The response body of {_method.Name} {_target} ended {_responseRemaining} bytes short of its declared Content-Length."));
                return;
            }

            if (_responseFraming == Http1BodyFraming.Chunked) Write(s_lastChunk);
            ResponseDone();
        }

        private void OnResponseBodyFailure(SubSinkInlet<ByteString> inlet, Exception cause)
        {
            if (inlet != _responseBody) return;
            _responseBody = null;
            FailResponse(cause);
        }

        /// <summary>A streamed response cannot be finished correctly: the only honest signal left is to cut the connection.</summary>
        private void FailResponse(Exception cause)
        {
            Log.Warning("HTTP response body of {0} {1} failed; aborting the connection: {2}", _method.Name, _target, cause.Message);
            FailStage(cause);
        }

        private static ByteString ChunkHeader(int length)
        {
            Span<byte> line = stackalloc byte[10];
            Utf8Formatter.TryFormat(length, line, out var written, new System.Buffers.StandardFormat('X'));
            line[written] = (byte)'\r';
            line[written + 1] = (byte)'\n';
            return ByteString.FromBytes(line[..(written + 2)].ToArray());
        }

        /// <summary>The current response is written: what the machine says comes next.</summary>
        private void ResponseDone()
        {
            var now = Now;
            var outcome = _machine.OnResponseComplete(_sequence, now);
            _sequence = -1;
            if (outcome == Http1ResponseOutcome.SwitchProtocols)
            {
                HandOverUpgrade();
                return;
            }

            if (_inputClosedSignalled)
            {
                BeginClose();
                return;
            }

            switch (outcome)
            {
                case Http1ResponseOutcome.Continue:
                    break;

                case Http1ResponseOutcome.DrainRequestBody:
                    FailRequestBody(new InvalidOperationException("The response was sent before the request body was read; the rest of the body is discarded."));
                    if (_parser.BodyRemaining > _settings.MaxRequestBodyDrainSize || (!_requestBodyStarted && _head.ContentLength > _settings.MaxRequestBodySize))
                    {
                        BeginClose();
                        return;
                    }

                    _discardBody = true;
                    _drained = 0;
                    _machine.OnBodyReadRequested(now);
                    break;

                default:
                    BeginClose();
                    return;
            }

            UpdateTimer();
            Process();
        }

        /// <summary>Writes the server's own answer (a rejection's status, 408) in its turn, then closes.</summary>
        private void AnswerAndClose(long sequence)
        {
            if (sequence == _sequence) _serverAnswered = true;
            WriteServerAnswer(sequence);
            if (State != Http1ConnectionState.Closing) BeginClose();
        }

        /// <summary>Writes an empty answer with the status the machine owes for <paramref name="sequence"/> (417, 408, a rejection's).</summary>
        private void WriteServerAnswer(long sequence)
        {
            var now = Now;
            var plan = _machine.OnResponseStart(sequence, _machine.ServerAnswerFor(sequence), 0, false, now);
            _writer.ResetWrittenCount();
            Http1ResponseWriter.WriteResponseHead(_writer, plan);
            if (_settings.AddDateHeader) Http1ResponseWriter.WriteDate(_writer, _date, DateTimeOffset.UtcNow);
            Http1ResponseWriter.EndHead(_writer);
            WriteWriter();
            var outcome = _machine.OnResponseComplete(sequence, now);
            if (sequence == _sequence) _sequence = -1;
            if (outcome != Http1ResponseOutcome.Continue || _inputClosedSignalled) BeginClose();
        }

        private void CloseSubStreams(Exception cause)
        {
            FailRequestBody(cause);
            var inlet = _responseBody;
            _responseBody = null;
            if (inlet is not null && !inlet.IsClosed) inlet.Cancel();
        }

        /// <summary>Receives a streamed response's chunks inside the stage.</summary>
        private sealed class ResponseBodyHandler(Logic logic, SubSinkInlet<ByteString> inlet) : InHandler
        {
            public override void OnPush() => logic.OnResponseBodyPush(inlet);

            public override void OnUpstreamFinish() => logic.OnResponseBodyFinish(inlet);

            public override void OnUpstreamFailure(Exception e) => logic.OnResponseBodyFailure(inlet, e);
        }
    }
}
