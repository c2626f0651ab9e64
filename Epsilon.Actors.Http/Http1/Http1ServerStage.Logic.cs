using System.Buffers;
using System.Diagnostics;
using Akka.Event;
using Akka.IO;
using Akka.Streams.Stage;
using Epsilon.Actors.Http.Connections;
using Epsilon.Actors.Http.Http1.Parsing;
using Epsilon.Actors.Http.Http1.Rendering;
using Epsilon.Actors.Http.Model;
using Epsilon.Actors.Http.Server;
using Epsilon.Actors.Http.Settings;

namespace Epsilon.Actors.Http.Http1;

internal sealed partial class Http1ServerStage
{
    /// <summary>The connection's state and its wiring: ports, timers, buffers, closing.</summary>
    private sealed partial class Logic : HandoverStageLogic, IInHandler, IOutHandler, IServerConnection
    {
        private const string CheckTimer = "check";
        private const string LingerTimer = "linger";

        private readonly Http1ServerStage _stage;
        private readonly HttpServerSettings _settings;
        private readonly Http1RequestParser _parser;
        private readonly Http1ServerStateMachine _machine;
        private readonly DateHeaderCache _date = new();
        private readonly Http1RequestHeaderCache _headerCache = new();
        private readonly ArrayBufferWriter<byte> _writer = new();
        private readonly Queue<ByteString> _outQueue = new();
        private readonly CancellationTokenSource _aborted = new();
        private readonly long _startTimestamp = Stopwatch.GetTimestamp();
        private ServerHandler? _handler;
        private Action<Task<HttpResponse>>? _onHandlerDone;
        private Action<bool>? _onControl;

        // Unread input: [_start, _end) of _buffer, allocated with the first bytes (an idle
        // connection holds none) and grown to the largest read.
        private byte[] _buffer = [];
        private int _start;
        private int _end;
        private bool _inPulled;
        private bool _inputFinished;
        private bool _inputClosedSignalled;

        private bool _closeAfterFlush;
        private bool _outputDone;
        private bool _timerScheduled;
        private TimeSpan _timerAt;

        public Logic(Http1ServerStage stage)
            : base(stage.Shape, stage.In, stage.Out)
        {
            _stage = stage;
            _settings = stage._settings;
            _parser = new Http1RequestParser(_settings);
            _machine = new Http1ServerStateMachine(_settings, TimeSpan.Zero);
            SetHandler(stage.In, this);
            SetHandler(stage.Out, this);
        }

        private Http1ConnectionState State => _machine.State;

        private System.Net.EndPoint? Remote => _stage._connection.Info.RemoteEndPoint;

        private TimeSpan Now => Stopwatch.GetElapsedTime(_startTimestamp);

        public override void PreStart()
        {
            _handler = _stage._handlerFactory(Materializer);
            _onHandlerDone = GetAsyncCallback<Task<HttpResponse>>(OnHandlerDone);
            _onControl = GetAsyncCallback<bool>(OnControl);
            _stage._connection.Registry?.Register(this);
            PullIn();
            UpdateTimer();
        }

        public override void PostStop()
        {
            try
            {
                _aborted.Cancel();
            }
            catch (AggregateException e)
            {
                Log.Debug("A callback on a request's abort token threw: {0}", e.InnerException?.Message);
            }

            CloseSubStreams(new HttpConnectionClosedException("The connection closed."));
            ReleaseBuffer();
            _parser.Dispose();
            _aborted.Dispose();
            StopHandover();
            _handler?.OnConnectionClosed?.Invoke();
            _stage._connection.Registry?.Release(this);
        }

        void IServerConnection.BeginGracefulClose() => _onControl?.Invoke(false);

        void IServerConnection.Abort() => _onControl?.Invoke(true);

        // ---- input ----
        public void OnPush()
        {
            var bytes = Grab(_stage.In);
            _inPulled = false;
            if (State == Http1ConnectionState.Closing)
            {
                if (!_inputFinished) PullIn();
                return;
            }

            Append(bytes);
            Process();
        }

        public void OnUpstreamFinish()
        {
            _inputFinished = true;
            _inPulled = false;
            if (State == Http1ConnectionState.Closing)
            {
                if (_outputDone) CompleteStage();
                return;
            }

            Process();
        }

        public void OnUpstreamFailure(Exception e)
        {
            Log.Debug("HTTP connection from {0} failed on input: {1}", Remote, e.Message);
            FailStage(e);
        }

        // ---- output ----
        public void OnPull()
        {
            if (_outQueue.TryDequeue(out var next))
            {
                // Everything that queued while the transport was busy goes out as one write:
                // pipelined responses then cost one socket send per batch, not one each.
                while (_outQueue.TryDequeue(out var more)) next = next.Concat(more);
                Push(_stage.Out, next);
                if (_outQueue.Count == 0 && _closeAfterFlush) FinishOutput();
                else if (State == Http1ConnectionState.ReadingHead && !_processing) Process();
                return;
            }

            PullResponseBody();
        }

        public void OnDownstreamFinish(Exception cause)
        {
            // The transport will take no more bytes (the peer went away, or the write side failed).
            CompleteStage();
        }

        /// <summary>Queues bytes for the transport, pushing at once when it has asked for them.</summary>
        private void Write(ByteString bytes)
        {
            if (_outQueue.Count == 0 && IsAvailable(_stage.Out)) Push(_stage.Out, bytes);
            else _outQueue.Enqueue(bytes);
        }

        /// <summary>Copies what the writer holds into one ByteString for the transport.</summary>
        private void WriteWriter()
        {
            if (_writer.WrittenCount == 0) return;
            var bytes = ByteString.FromBytes(_writer.WrittenSpan.ToArray());
            _writer.ResetWrittenCount();
            Write(bytes);
        }

        private void PullIn()
        {
            if (_inPulled || _inputFinished || HasBeenPulled(_stage.In) || IsClosed(_stage.In)) return;
            _inPulled = true;
            Pull(_stage.In);
        }

        /// <summary>Called when more bytes are needed: pulls, or, when the peer has closed, lets the machine decide.</summary>
        private void NeedInput()
        {
            if (!_inputFinished)
            {
                PullIn();
                return;
            }

            if (_inputClosedSignalled) return;
            _inputClosedSignalled = true;
            var idle = _machine.OnInputClosed(Now);
            FailRequestBody(new HttpConnectionClosedException("The client closed the connection before the request body was complete."));
            if (idle || State != Http1ConnectionState.Exchange) BeginClose();
        }

        private void Append(ByteString bytes)
        {
            var count = bytes.Count;
            if (_start == _end)
            {
                _start = 0;
                _end = 0;
            }

            if (_buffer.Length - _end < count)
            {
                var unread = _end - _start;
                if (unread + count <= _buffer.Length && _start > 0)
                {
                    Buffer.BlockCopy(_buffer, _start, _buffer, 0, unread);
                }
                else
                {
                    var grown = ArrayPool<byte>.Shared.Rent(Math.Max(unread + count, Math.Max(_buffer.Length * 2, 2048)));
                    Buffer.BlockCopy(_buffer, _start, grown, 0, unread);
                    ReleaseBuffer();
                    _buffer = grown;
                }

                _start = 0;
                _end = unread;
            }

            bytes.CopyTo(_buffer, _end, count);
            _end += count;
        }

        // The input buffer comes from the shared pool and goes back whenever every byte in it has
        // been consumed (between requests, and on a keep-alive connection gone idle), so an idle
        // connection holds none. Only called where no reader over it is alive.
        private void ReleaseBuffer()
        {
            if (_buffer.Length == 0) return;
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
            _start = 0;
            _end = 0;
        }

        private ReadOnlySequence<byte> Unread => new(_buffer, _start, _end - _start);

        private int Buffered => _end - _start;

        private void Consume(long count) => _start += (int)count;

        // ---- closing ----

        /// <summary>No further request: writes what is queued, completes the output, then lingers on input.</summary>
        private void BeginClose()
        {
            if (!_machine.OnClosing(Now)) return;
            _closeAfterFlush = true;
            CloseSubStreams(new HttpConnectionClosedException("The connection is closing."));
            if (_outQueue.Count == 0) FinishOutput();
        }

        private void FinishOutput()
        {
            if (_outputDone) return;
            _outputDone = true;
            Complete(_stage.Out);
            if (_inputFinished || IsClosed(_stage.In))
            {
                CompleteStage();
                return;
            }

            ScheduleOnce(LingerTimer, _settings.LingerTimeout);
            PullIn();
        }

        private void OnControl(bool abort)
        {
            if (abort)
            {
                Log.Debug("HTTP connection from {0} cut at the termination deadline", Remote);
                CompleteStage();
                return;
            }

            if (State == Http1ConnectionState.Upgraded)
            {
                // The protocol switched to decides; a handler's flow only hears the hard deadline.
                _upgradedControl?.BeginGracefulClose();
                return;
            }

            if (State == Http1ConnectionState.Closing) return;
            if (_machine.BeginGracefulClose(Now) || State != Http1ConnectionState.Exchange) BeginClose();
        }

        // ---- timers ----
        protected override void OnTimer(object timerKey)
        {
            if (Equals(timerKey, LingerTimer))
            {
                CompleteStage();
                return;
            }

            _timerScheduled = false;
            if (State == Http1ConnectionState.Upgraded) return;
            if (State != Http1ConnectionState.Closing)
            {
                var now = Now;
                var decision = _machine.CheckTimeouts(now);
                switch (decision.Action)
                {
                    case Http1TimeoutAction.CloseIdle:
                        Log.Debug("HTTP connection from {0} idle for {1}: closed", Remote, _settings.KeepAliveTimeout);
                        BeginClose();
                        return;
                    case Http1TimeoutAction.RespondRequestTimeout:
                        Log.Debug("HTTP connection from {0}: request too slow, answering 408", Remote);
                        AnswerAndClose(decision.Sequence);
                        return;
                    case Http1TimeoutAction.Abort:
                        Log.Debug("HTTP connection from {0}: request body below the minimum data rate after the response started; aborted", Remote);
                        FailStage(new TimeoutException("The request body arrived below the minimum data rate."));
                        return;
                }
            }

            UpdateTimer();
        }

        /// <summary>
        /// Keeps one timer at or before the machine's next check. Deadlines mostly move later (each
        /// request restarts keep-alive), so the timer is rescheduled only when the new deadline is
        /// earlier; a timer that fires early finds nothing due and re-arms. No allocation per request.
        /// </summary>
        private void UpdateTimer()
        {
            if (State is Http1ConnectionState.Closing or Http1ConnectionState.Upgraded) return;
            var now = Now;
            if (_machine.NextCheck(now) is not { } next) return;
            if (_timerScheduled && _timerAt <= next) return;
            _timerScheduled = true;
            _timerAt = next;
            var delay = next - now;
            ScheduleOnce(CheckTimer, delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
        }
    }
}
