using Epsilon.Actors.Http.Http1.Parsing;
using Epsilon.Actors.Http.Settings;

namespace Epsilon.Actors.Http.Http1;

/// <summary>
/// The pure connection logic of an HTTP/1.x server (RFC 9112 §9, RFC 9110 §10.1.1): persistence,
/// pipelining order, <c>Expect: 100-continue</c>, HEAD, upgrades, what follows a rejection, and
/// the three timers (keep-alive idle, request headers, minimum body data rate). Events in,
/// decisions out; timestamps are passed in (any monotonic clock, as elapsed time) and never read
/// here. One per connection; not thread-safe.
/// </summary>
/// <remarks>
/// <para>Every request gets a sequence number; responses start strictly in that order
/// (<see cref="IsNextResponse"/>), so a shell whose application answers out of order holds the
/// later responses back. Rejections and timeouts take a slot in the same order, so an error for
/// a pipelined request is written after the answers to the requests before it.</para>
/// <para>The shell's calls, in order, for one request: <see cref="OnHeadBytesReceived"/> when
/// the first bytes of a head arrive; <see cref="OnRequestHead"/>; if it has a body,
/// <see cref="OnBodyReadRequested"/> when the application first asks for body bytes (write
/// 100 Continue if it returns true), <see cref="OnBodyBytesReceived"/> per read,
/// <see cref="OnRequestBodyComplete"/>; and on the writing side <see cref="OnResponseStart"/>
/// and <see cref="OnResponseComplete"/>. <see cref="CheckTimeouts"/> whenever a timer the shell
/// scheduled at <see cref="NextCheck"/> fires.</para>
/// </remarks>
internal sealed class Http1ServerStateMachine
{
    private static readonly TimeSpan s_rateCheckInterval = TimeSpan.FromSeconds(1);

    private readonly HttpServerSettings _settings;
    private Exchange[] _exchanges;
    private int _first;
    private int _count;
    private long _nextSequence;
    private Http1ReadPhase _readPhase;
    private Http1ConnectionState _state;
    private TimeSpan _phaseSince;
    private bool _noMoreRequests;
    private bool _inputClosed;
    private bool _gracefulClose;
    private bool _upgradePending;
    private long _bodySequence = -1;
    private long _rateStartedFor = -1;

    private bool _rateActive;
    private bool _ratePaused;
    private TimeSpan _rateResumedAt;
    private TimeSpan _rateElapsed;
    private long _rateBytes;

    /// <summary>A machine for a connection opened at <paramref name="now"/> (the keep-alive timer runs until the first byte).</summary>
    public Http1ServerStateMachine(HttpServerSettings settings, TimeSpan now)
    {
        _settings = settings;
        // Grown on demand up to max-pipelined-requests + 1 (one extra slot: a rejection or timeout
        // answer may join a full pipeline), so a connection that never pipelines keeps two.
        _exchanges = new Exchange[Math.Min(2, settings.MaxPipelinedRequests + 1)];
        _phaseSince = now;
    }

    /// <summary>What the reading side is doing.</summary>
    public Http1ReadPhase ReadPhase => _readPhase;

    /// <summary>
    /// What the connection is doing as a whole, the only connection state there is: a head is
    /// read (<see cref="OnRequestHead"/> starts an exchange), the response is awaited or written
    /// (<see cref="OnResponseComplete"/> says what follows), an unread body is drained
    /// (<see cref="OnRequestBodyComplete"/> ends it), the connection closes (<see cref="OnClosing"/>)
    /// or was switched to another protocol.
    /// </summary>
    public Http1ConnectionState State => _state;

    /// <summary>Requests whose responses have not completed (rejections included).</summary>
    public int PendingResponses => _count;

    /// <summary>
    /// Whether the shell may read (parse) the next request now: reading is not stopped, no body
    /// is being read, fewer than <see cref="HttpServerSettings.MaxPipelinedRequests"/> responses
    /// are pending, and no upgrade request awaits its answer.
    /// </summary>
    public bool CanReadNextRequest =>
        _readPhase is Http1ReadPhase.Idle or Http1ReadPhase.Head && _count < _settings.MaxPipelinedRequests && !_upgradePending;

    /// <summary>
    /// The shell has bytes of a request head to parse: starts the request-headers timer (no-op
    /// if it runs, or while <see cref="CanReadNextRequest"/> is false, since then the server, not
    /// the client, is the slow side; call again when reading resumes with bytes buffered).
    /// </summary>
    public void OnHeadBytesReceived(TimeSpan now)
    {
        if (_readPhase != Http1ReadPhase.Idle || !CanReadNextRequest) return;
        _readPhase = Http1ReadPhase.Head;
        _phaseSince = now;
    }

    /// <summary>A request head is complete and valid: assigns its sequence number and decides what to do with it.</summary>
    /// <exception cref="InvalidOperationException">reading was stopped, a body is being read, or the pipeline is full.</exception>
    public Http1RequestDecision OnRequestHead(in Http1RequestHead head, TimeSpan now)
    {
        if (!CanReadNextRequest) throw new InvalidOperationException($"no request may be read now (phase {_readPhase}, {_count} pending)");

        // RFC 9110 §10.1.1: a 100-continue expectation in an HTTP/1.0 request MUST be ignored;
        // and without a body there is nothing to continue.
        var expectContinue = head.Expect == Http1Expectation.Continue && head.Version == Http1Version.Http11 && head.HasBody;
        var action = head.Expect == Http1Expectation.Unsupported ? Http1RequestAction.RespondExpectationFailed : Http1RequestAction.Dispatch;
        ref var exchange = ref Push(now);
        exchange.Method = head.Method;
        exchange.Version = head.Version;
        exchange.ClientKeepAlive = head.ClientWantsKeepAlive;
        exchange.ExpectContinue = expectContinue;
        // RFC 9110 §7.8: a server MUST ignore Upgrade in an HTTP/1.0 request.
        exchange.Upgrade = head.RequestsUpgrade && head.Version == Http1Version.Http11 && action == Http1RequestAction.Dispatch;
        exchange.BodyComplete = !head.HasBody;
        exchange.RejectStatus = action == Http1RequestAction.RespondExpectationFailed ? 417 : 0;

        // RFC 9112 §9.6: after "close" the server MUST NOT process further requests. A 417 leaves
        // an unread body on the wire (the client may send it anyway), so it ends the connection too.
        if (!head.ClientWantsKeepAlive || (exchange.RejectStatus != 0 && head.HasBody)) _noMoreRequests = true;
        if (exchange.RejectStatus != 0 && head.HasBody) exchange.CloseAfter = true;
        if (exchange.Upgrade) _upgradePending = true;

        if (head.HasBody && exchange.RejectStatus == 0)
        {
            _bodySequence = exchange.Sequence;
            _rateActive = false;
            SetPhase(Http1ReadPhase.Body, now);
        }
        else SetPhase(_noMoreRequests ? Http1ReadPhase.Stopped : Http1ReadPhase.Idle, now);
        SetState(Http1ConnectionState.Exchange);
        return new Http1RequestDecision(exchange.Sequence, action, !CanReadNextRequest);
    }

    /// <summary>
    /// The application (or a drain after its response) starts reading the request body; later
    /// calls for the same body are no-ops. Starts the data-rate clock. Returns true when the
    /// shell must write <c>100 Continue</c> now: the request expects it, no response to it has
    /// started (RFC 9110 §10.1.1), and every earlier response is complete, since an interim
    /// response must not land in the middle of, or be taken for part of, an earlier exchange.
    /// When earlier responses are still pending it returns false and
    /// <see cref="TakePendingContinue"/> says when to write it.
    /// </summary>
    public bool OnBodyReadRequested(TimeSpan now)
    {
        if (_readPhase != Http1ReadPhase.Body) return false;
        if (!_rateActive && _rateStartedFor != _bodySequence)
        {
            _rateStartedFor = _bodySequence;
            _rateActive = true;
            _ratePaused = false;
            _rateResumedAt = now;
            _rateElapsed = TimeSpan.Zero;
            _rateBytes = 0;
        }

        var index = IndexOf(_bodySequence);
        if (index < 0) return false;
        ref var exchange = ref At(index);
        if (!exchange.ExpectContinue || exchange.ContinueSent || exchange.ResponseStarted) return false;
        exchange.ContinueRequested = true;
        return index == 0 && TakePendingContinue();
    }

    /// <summary>
    /// Call after <see cref="OnResponseComplete"/> returns <see cref="Http1ResponseOutcome.Continue"/>
    /// (and whenever convenient): true, once, when the exchange now first in line asked for
    /// <c>100 Continue</c> while an earlier response was pending, so the shell writes it now.
    /// </summary>
    public bool TakePendingContinue()
    {
        if (_count == 0) return false;
        ref var first = ref At(0);
        if (!first.ContinueRequested || first.ContinueSent || first.ResponseStarted || first.BodyComplete) return false;
        first.ContinueSent = true;
        return true;
    }

    /// <summary>Body bytes arrived (counted for the minimum data rate).</summary>
    public void OnBodyBytesReceived(int count, TimeSpan now) => _rateBytes += count;

    /// <summary>The shell stopped reading because the application back-pressures: this time does not count against the client's rate.</summary>
    public void OnBodyReadPaused(TimeSpan now)
    {
        if (!_rateActive || _ratePaused) return;
        _rateElapsed += now - _rateResumedAt;
        _ratePaused = true;
    }

    /// <summary>The shell reads the body again after back-pressure.</summary>
    public void OnBodyReadResumed(TimeSpan now)
    {
        if (!_rateActive || !_ratePaused) return;
        _ratePaused = false;
        _rateResumedAt = now;
    }

    /// <summary>The current request body has been read completely (by the application or by a drain).</summary>
    public void OnRequestBodyComplete(TimeSpan now)
    {
        if (_state == Http1ConnectionState.Draining) SetState(Http1ConnectionState.ReadingHead);
        if (_readPhase != Http1ReadPhase.Body) return;
        _rateActive = false;
        var index = IndexOf(_bodySequence);
        if (index >= 0) At(index).BodyComplete = true;
        _bodySequence = -1;
        SetPhase(_noMoreRequests ? Http1ReadPhase.Stopped : Http1ReadPhase.Idle, now);
    }

    /// <summary>
    /// A parser rejected the input with <paramref name="statusCode"/>. No further request is read.
    /// Returns the sequence whose turn carries the error response (written with
    /// <c>Connection: close</c>), or -1 when no answer can be written because the request whose
    /// body failed already has its response under way or done: the shell then closes at once.
    /// </summary>
    public long OnRejected(int statusCode, TimeSpan now) => TakeErrorSlot(statusCode, now);

    /// <summary>The peer closed its sending side. Returns true when nothing is pending, so the shell closes now.</summary>
    public bool OnInputClosed(TimeSpan now)
    {
        _inputClosed = true;
        _noMoreRequests = true;
        _rateActive = false;
        SetPhase(Http1ReadPhase.Stopped, now);
        return _count == 0;
    }

    /// <summary>The server is shutting down: read no further requests; the next response carries <c>Connection: close</c>. Returns true when nothing is pending.</summary>
    public bool BeginGracefulClose(TimeSpan now)
    {
        _gracefulClose = true;
        _noMoreRequests = true;
        if (_readPhase is Http1ReadPhase.Idle or Http1ReadPhase.Head) SetPhase(Http1ReadPhase.Stopped, now);
        return _count == 0;
    }

    /// <summary>Whether <paramref name="sequence"/> is the exchange whose response may start now.</summary>
    public bool IsNextResponse(long sequence) => _count > 0 && At(0).Sequence == sequence && !At(0).ResponseStarted;

    /// <summary>The status an exchange must be answered with by the server itself (417, 408 or a rejection's), or 0 when the application answers.</summary>
    public int ServerAnswerFor(long sequence) => IndexOf(sequence) is var i and >= 0 ? At(i).RejectStatus : 0;

    /// <summary>
    /// The response of <paramref name="sequence"/> starts with <paramref name="statusCode"/> and
    /// a body of <paramref name="contentLength"/> bytes (-1: unknown). Decides framing, the
    /// Connection header and whether the connection closes afterwards.
    /// </summary>
    /// <param name="sequence">Must be the next response (<see cref="IsNextResponse"/>).</param>
    /// <param name="statusCode">100–599, not 100 (see <see cref="OnBodyReadRequested"/>); 101 only for an upgrade request.</param>
    /// <param name="contentLength">Body length when known, else -1.</param>
    /// <param name="closeRequested">The application's response asks for <c>Connection: close</c>.</param>
    /// <param name="now">The current time.</param>
    /// <exception cref="InvalidOperationException">not this exchange's turn, or a 101 to a request that did not ask to upgrade.</exception>
    /// <exception cref="ArgumentOutOfRangeException">a status outside 101–599.</exception>
    public Http1ResponsePlan OnResponseStart(long sequence, int statusCode, long contentLength, bool closeRequested, TimeSpan now)
    {
        if (!IsNextResponse(sequence)) throw new InvalidOperationException($"response {sequence} is not next");
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 101);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        ref var exchange = ref At(0);
        if (statusCode is > 101 and < 200) throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "interim responses other than 101 are not supported");
        if (statusCode == 101 && !exchange.Upgrade) throw new InvalidOperationException("101 Switching Protocols answers only a request that asked to upgrade");
        exchange.ResponseStarted = true;
        exchange.ResponseStatus = statusCode;

        // RFC 9112 §6.3 item 1 / RFC 9110 §6.4.1: HEAD, 1xx, 204 and 304 have no content.
        var noContent = statusCode is < 200 or 204 or 304;
        Http1BodyFraming framing;
        if (noContent) framing = Http1BodyFraming.None;
        else if (contentLength >= 0) framing = Http1BodyFraming.ContentLength;
        // RFC 9112 §7.1: chunked only to HTTP/1.1 recipients; an HTTP/1.0 one reads to the close.
        else if (exchange.Method == Http1Method.Head) framing = Http1BodyFraming.None;
        else framing = exchange.Version == Http1Version.Http11 ? Http1BodyFraming.Chunked : Http1BodyFraming.CloseDelimited;

        var close = exchange.CloseAfter || !exchange.ClientKeepAlive || closeRequested || _gracefulClose
            || framing == Http1BodyFraming.CloseDelimited
            // A final response before 100 Continue: the client may or may not send the body, so
            // the connection cannot be reused unless the body was already read.
            || (exchange.ExpectContinue && !exchange.ContinueSent && !exchange.BodyComplete);
        if (statusCode == 101) close = false;
        exchange.CloseAfter = close;
        if (close) _noMoreRequests = true;

        var header = statusCode == 101 ? Http1ConnectionHeader.Upgrade
            : close ? Http1ConnectionHeader.Close
            : exchange.Version == Http1Version.Http10 ? Http1ConnectionHeader.KeepAlive
            : Http1ConnectionHeader.None;
        var sendBody = !noContent && exchange.Method != Http1Method.Head;
        return new Http1ResponsePlan(statusCode, framing, framing == Http1BodyFraming.ContentLength ? contentLength : -1, sendBody, header, close);
    }

    /// <summary>The response of <paramref name="sequence"/> has been written completely. Says what comes next.</summary>
    /// <exception cref="InvalidOperationException">that response had not started.</exception>
    public Http1ResponseOutcome OnResponseComplete(long sequence, TimeSpan now)
    {
        if (_count == 0 || At(0).Sequence != sequence || !At(0).ResponseStarted) throw new InvalidOperationException($"response {sequence} has not started");
        var exchange = At(0);
        _first = (_first + 1) % _exchanges.Length;
        _count--;

        if (exchange.Upgrade)
        {
            _upgradePending = false;
            if (exchange.ResponseStatus == 101)
            {
                _noMoreRequests = true;
                SetPhase(Http1ReadPhase.Stopped, now);
                SetState(Http1ConnectionState.Upgraded);
                return Http1ResponseOutcome.SwitchProtocols;
            }
        }

        if (exchange.CloseAfter)
        {
            _noMoreRequests = true;
            SetPhase(Http1ReadPhase.Stopped, now);
            return Http1ResponseOutcome.Close;
        }

        if (!exchange.BodyComplete)
        {
            SetState(Http1ConnectionState.Draining);
            return Http1ResponseOutcome.DrainRequestBody;
        }

        if (_inputClosed && _count == 0) return Http1ResponseOutcome.Close;
        if (_readPhase == Http1ReadPhase.Idle && _count == 0) _phaseSince = now;
        SetState(Http1ConnectionState.ReadingHead);
        return Http1ResponseOutcome.Continue;
    }

    /// <summary>
    /// The shell closes the connection (flush, complete, linger): no further request, no timer.
    /// Returns false when it was already closing (or upgraded), so the shell closes once.
    /// </summary>
    public bool OnClosing(TimeSpan now)
    {
        if (_state is Http1ConnectionState.Closing or Http1ConnectionState.Upgraded) return false;
        _noMoreRequests = true;
        _rateActive = false;
        SetPhase(Http1ReadPhase.Stopped, now);
        SetState(Http1ConnectionState.Closing);
        return true;
    }

    /// <summary>
    /// Whether the application's response to <paramref name="sequence"/> (status
    /// <paramref name="statusCode"/>; <paramref name="switchesProtocol"/> when it carries a flow to
    /// switch to, <paramref name="protocolOffered"/> when the request's <c>Upgrade</c> lists that
    /// protocol) may be written. The server writes 100 Continue itself, so an application's 1xx
    /// other than 101 is refused; a 101 must switch to a flow, and only a request that asked for
    /// that protocol (RFC 9110 §7.8: Upgrade listing it, Connection naming upgrade, HTTP/1.1) and
    /// whose body is completely read may be switched.
    /// </summary>
    public Http1ResponseVerdict CheckResponse(long sequence, int statusCode, bool switchesProtocol, bool protocolOffered)
    {
        var index = IndexOf(sequence);
        if (statusCode == 101 || switchesProtocol)
        {
            if (!switchesProtocol || statusCode != 101) return Http1ResponseVerdict.RefuseUpgradeWithoutFlow;
            if (index < 0 || !At(index).Upgrade || !protocolOffered) return Http1ResponseVerdict.RefuseUnrequestedUpgrade;
            return At(index).BodyComplete ? Http1ResponseVerdict.Accept : Http1ResponseVerdict.RefuseUpgradeBeforeBody;
        }

        return statusCode < 200 ? Http1ResponseVerdict.RefuseInterim : Http1ResponseVerdict.Accept;
    }

    /// <summary>
    /// Whether the server may switch <paramref name="sequence"/> to a protocol of its own that
    /// claims the request's <c>Upgrade</c> token, without the application: the request asked to
    /// upgrade (HTTP/1.1, RFC 9110 §7.8) and has no body.
    /// </summary>
    public bool MayUpgrade(long sequence) => IndexOf(sequence) is var i and >= 0 && At(i).Upgrade && At(i).BodyComplete && !At(i).ResponseStarted;

    /// <summary>
    /// Whether a response to <paramref name="sequence"/> with <paramref name="statusCode"/> should
    /// wait to write its head until its body yields a first chunk: the request expects
    /// <c>100 Continue</c>, it has not been sent, the body is unread, and the response would carry
    /// a body, which may be the request's own. When that body reads the request body, the read
    /// sends 100 Continue before the head (RFC 9110 §15.2: never after a final response), and the
    /// connection stays reusable.
    /// </summary>
    public bool DefersHeadForContinue(long sequence, int statusCode)
    {
        if (IndexOf(sequence) is not (var i and >= 0)) return false;
        ref var exchange = ref At(i);
        return exchange.ExpectContinue && !exchange.ContinueSent && !exchange.BodyComplete && !exchange.ResponseStarted
            && statusCode is >= 200 and not (204 or 304) && exchange.Method != Http1Method.Head;
    }

    /// <summary>
    /// Checks the timers at <paramref name="now"/>: keep-alive (idle, nothing pending), request
    /// headers (from the first byte of a head), minimum body data rate (after the grace period,
    /// time paused by back-pressure not counted).
    /// </summary>
    public Http1TimeoutDecision CheckTimeouts(TimeSpan now)
    {
        switch (_readPhase)
        {
            case Http1ReadPhase.Idle when _count == 0 && now - _phaseSince >= _settings.KeepAliveTimeout:
                SetPhase(Http1ReadPhase.Stopped, now);
                _noMoreRequests = true;
                return new Http1TimeoutDecision(Http1TimeoutAction.CloseIdle, -1);

            case Http1ReadPhase.Head when now - _phaseSince >= _settings.RequestHeadersTimeout:
                return new Http1TimeoutDecision(Http1TimeoutAction.RespondRequestTimeout, TakeErrorSlot(408, now));

            case Http1ReadPhase.Body when _rateActive && _settings.MinRequestBodyDataRate is { } minRate:
                var elapsed = RateElapsed(now);
                if (elapsed <= _settings.MinRequestBodyDataRateGracePeriod || _rateBytes >= minRate * elapsed.TotalSeconds) return Http1TimeoutDecision.None;
                var slot = TakeErrorSlot(408, now);
                return slot < 0
                    ? new Http1TimeoutDecision(Http1TimeoutAction.Abort, -1)
                    : new Http1TimeoutDecision(Http1TimeoutAction.RespondRequestTimeout, slot);

            default:
                return Http1TimeoutDecision.None;
        }
    }

    /// <summary>
    /// The time at which <see cref="CheckTimeouts"/> should next be called, or null when no timer
    /// runs (a response is pending, reading is stopped, or the body rate clock is paused).
    /// </summary>
    public TimeSpan? NextCheck(TimeSpan now) => _readPhase switch
    {
        Http1ReadPhase.Idle when _count == 0 => _phaseSince + _settings.KeepAliveTimeout,
        Http1ReadPhase.Head => _phaseSince + _settings.RequestHeadersTimeout,
        Http1ReadPhase.Body when _rateActive && !_ratePaused && _settings.MinRequestBodyDataRate is not null =>
            RateElapsed(now) < _settings.MinRequestBodyDataRateGracePeriod
                ? now + (_settings.MinRequestBodyDataRateGracePeriod - RateElapsed(now)) + TimeSpan.FromTicks(1)
                : now + s_rateCheckInterval,
        _ => null,
    };

    private TimeSpan RateElapsed(TimeSpan now) => _ratePaused ? _rateElapsed : _rateElapsed + (now - _rateResumedAt);

    private long TakeErrorSlot(int statusCode, TimeSpan now)
    {
        _noMoreRequests = true;
        _rateActive = false;
        var wasBody = _readPhase == Http1ReadPhase.Body;
        SetPhase(Http1ReadPhase.Stopped, now);
        if (wasBody)
        {
            // The failing request is the one whose body was being read: answer it instead of
            // the application, unless its response is already under way (or done: a drain).
            var index = IndexOf(_bodySequence);
            _bodySequence = -1;
            if (index < 0) return -1;
            ref var current = ref At(index);
            if (current.ResponseStarted) return -1;
            current.RejectStatus = statusCode;
            current.CloseAfter = true;
            current.BodyComplete = true;
            current.Upgrade = false;
            return current.Sequence;
        }

        ref var exchange = ref Push(now);
        exchange.RejectStatus = statusCode;
        exchange.CloseAfter = true;
        exchange.BodyComplete = true;
        exchange.Version = Http1Version.Http11;
        return exchange.Sequence;
    }

    private ref Exchange Push(TimeSpan now)
    {
        if (_count == _exchanges.Length) Grow();
        ref var exchange = ref _exchanges[(_first + _count) % _exchanges.Length];
        exchange = new Exchange { Sequence = _nextSequence++, ClientKeepAlive = true };
        _count++;
        return ref exchange;
    }

    // Doubles the ring (in order, from slot 0) up to its bound; past the bound the pipeline is full.
    private void Grow()
    {
        var bound = _settings.MaxPipelinedRequests + 1;
        if (_exchanges.Length >= bound) throw new InvalidOperationException("pipeline full");
        var grown = new Exchange[Math.Min(bound, _exchanges.Length * 2)];
        for (var i = 0; i < _count; i++) grown[i] = At(i);
        _exchanges = grown;
        _first = 0;
    }

    private ref Exchange At(int index) => ref _exchanges[(_first + index) % _exchanges.Length];

    private int IndexOf(long sequence)
    {
        for (var i = 0; i < _count; i++)
            if (At(i).Sequence == sequence) return i;
        return -1;
    }

    private void SetState(Http1ConnectionState state)
    {
        // Closing and Upgraded are final.
        if (_state is Http1ConnectionState.Closing or Http1ConnectionState.Upgraded) return;
        _state = state;
    }

    private void SetPhase(Http1ReadPhase phase, TimeSpan now)
    {
        if (_readPhase == Http1ReadPhase.Stopped) return;
        _readPhase = phase;
        _phaseSince = now;
    }

    private struct Exchange
    {
        public long Sequence;
        public Http1Method Method;
        public Http1Version Version;
        public bool ClientKeepAlive;
        public bool ExpectContinue;
        public bool ContinueRequested;
        public bool ContinueSent;
        public bool Upgrade;
        public bool BodyComplete;
        public bool ResponseStarted;
        public bool CloseAfter;
        public int RejectStatus;
        public int ResponseStatus;
    }
}
