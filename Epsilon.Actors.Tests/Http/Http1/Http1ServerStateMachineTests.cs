using CsCheck;
using Epsilon.Actors.Http.Http1;
using Epsilon.Actors.Http.Http1.Parsing;
using Epsilon.Actors.Http.Settings;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Http1;

/// <summary>Persistence, pipelining, 100-continue, HEAD, upgrades, rejections and the three timers, with timestamps given in.</summary>
[Trait("Category", "Unit")]
public sealed class Http1ServerStateMachineTests
{
    private static readonly HttpServerSettings s_settings = new();
    private static readonly TimeSpan s_t0 = TimeSpan.FromSeconds(1000);

    private static TimeSpan At(double seconds) => s_t0 + TimeSpan.FromSeconds(seconds);

    private static Http1ServerStateMachine NewMachine(HttpServerSettings? settings = null) => new(settings ?? s_settings, s_t0);

    private static Http1RequestHead Get(Http1Version version = Http1Version.Http11, Http1ConnectionOptions connection = Http1ConnectionOptions.None, Http1Method method = Http1Method.Get) =>
        new(method, version, Http1RequestTargetForm.Origin, Http1BodyFraming.None, -1, connection, Http1Expectation.None, false);

    private static Http1RequestHead Post(long length = 10, Http1Expectation expect = Http1Expectation.None, Http1Version version = Http1Version.Http11) =>
        new(Http1Method.Post, version, Http1RequestTargetForm.Origin, Http1BodyFraming.ContentLength, length, Http1ConnectionOptions.None, expect, false);

    private static Http1RequestHead Upgrade() =>
        new(Http1Method.Get, Http1Version.Http11, Http1RequestTargetForm.Origin, Http1BodyFraming.None, -1, Http1ConnectionOptions.Upgrade, Http1Expectation.None, true);

    private static Http1ResponseOutcome Respond(Http1ServerStateMachine m, long sequence, int status = 200, long length = 5, TimeSpan? now = null)
    {
        m.OnResponseStart(sequence, status, length, false, now ?? s_t0);
        return m.OnResponseComplete(sequence, now ?? s_t0);
    }

    // ---- persistence (RFC 9112 §9.3) ----

    [Fact]
    public void HTTP_1_1_keeps_the_connection_by_default()
    {
        var m = NewMachine();
        var decision = m.OnRequestHead(Get(), s_t0);
        Assert.Equal(new Http1RequestDecision(0, Http1RequestAction.Dispatch, false), decision);
        var plan = m.OnResponseStart(0, 200, 13, false, s_t0);
        Assert.Equal(new Http1ResponsePlan(200, Http1BodyFraming.ContentLength, 13, true, Http1ConnectionHeader.None, false), plan);
        Assert.Equal(Http1ResponseOutcome.Continue, m.OnResponseComplete(0, s_t0));
        Assert.True(m.CanReadNextRequest);
        Assert.Equal(1, m.OnRequestHead(Get(), s_t0).Sequence);
    }

    [Fact]
    public void Connection_close_from_the_client_answers_with_close_and_reads_no_further_request()
    {
        var m = NewMachine();
        var decision = m.OnRequestHead(Get(connection: Http1ConnectionOptions.Close), s_t0);
        Assert.True(decision.PauseReading);
        Assert.Equal(Http1ReadPhase.Stopped, m.ReadPhase);
        Assert.False(m.CanReadNextRequest);
        var plan = m.OnResponseStart(0, 200, 0, false, s_t0);
        Assert.Equal(Http1ConnectionHeader.Close, plan.ConnectionHeader);
        Assert.True(plan.CloseAfter);
        Assert.Equal(Http1ResponseOutcome.Close, m.OnResponseComplete(0, s_t0));
        Assert.Throws<InvalidOperationException>(() => m.OnRequestHead(Get(), s_t0));
    }

    [Fact]
    public void Connection_close_from_the_application_closes_after_its_response()
    {
        var m = NewMachine();
        m.OnRequestHead(Get(), s_t0);
        var plan = m.OnResponseStart(0, 200, 0, closeRequested: true, s_t0);
        Assert.Equal(Http1ConnectionHeader.Close, plan.ConnectionHeader);
        Assert.Equal(Http1ResponseOutcome.Close, m.OnResponseComplete(0, s_t0));
    }

    [Fact]
    public void HTTP_1_0_closes_unless_it_asks_for_keep_alive()
    {
        var plain = NewMachine();
        plain.OnRequestHead(Get(Http1Version.Http10), s_t0);
        Assert.Equal(Http1ConnectionHeader.Close, plain.OnResponseStart(0, 200, 5, false, s_t0).ConnectionHeader);
        Assert.Equal(Http1ResponseOutcome.Close, plain.OnResponseComplete(0, s_t0));

        var keepAlive = NewMachine();
        keepAlive.OnRequestHead(Get(Http1Version.Http10, Http1ConnectionOptions.KeepAlive), s_t0);
        Assert.Equal(Http1ConnectionHeader.KeepAlive, keepAlive.OnResponseStart(0, 200, 5, false, s_t0).ConnectionHeader);
        Assert.Equal(Http1ResponseOutcome.Continue, keepAlive.OnResponseComplete(0, s_t0));
    }

    [Fact]
    public void An_unknown_length_is_chunked_for_HTTP_1_1_and_close_delimited_for_HTTP_1_0()
    {
        var m11 = NewMachine();
        m11.OnRequestHead(Get(), s_t0);
        var chunked = m11.OnResponseStart(0, 200, -1, false, s_t0);
        Assert.Equal(Http1BodyFraming.Chunked, chunked.Framing);
        Assert.False(chunked.CloseAfter);

        var m10 = NewMachine();
        m10.OnRequestHead(Get(Http1Version.Http10, Http1ConnectionOptions.KeepAlive), s_t0);
        var delimited = m10.OnResponseStart(0, 200, -1, false, s_t0);
        Assert.Equal(Http1BodyFraming.CloseDelimited, delimited.Framing);
        Assert.Equal(Http1ConnectionHeader.Close, delimited.ConnectionHeader);
        Assert.True(delimited.CloseAfter);
    }

    // ---- HEAD and responses without content (RFC 9110 §6.4.1, §9.3.2) ----

    [Fact]
    public void HEAD_gets_the_headers_of_a_GET_without_the_body()
    {
        var m = NewMachine();
        m.OnRequestHead(Get(method: Http1Method.Head), s_t0);
        Assert.Equal(new Http1ResponsePlan(200, Http1BodyFraming.ContentLength, 42, false, Http1ConnectionHeader.None, false), m.OnResponseStart(0, 200, 42, false, s_t0));
        Assert.Equal(Http1ResponseOutcome.Continue, m.OnResponseComplete(0, s_t0));
        m.OnRequestHead(Get(method: Http1Method.Head), s_t0);
        Assert.Equal(new Http1ResponsePlan(200, Http1BodyFraming.None, -1, false, Http1ConnectionHeader.None, false), m.OnResponseStart(1, 200, -1, false, s_t0));
    }

    [Theory]
    [InlineData(204)]
    [InlineData(304)]
    public void Responses_without_content_get_no_framing_and_no_body(int status)
    {
        var m = NewMachine();
        m.OnRequestHead(Get(), s_t0);
        var plan = m.OnResponseStart(0, status, 10, false, s_t0);
        Assert.Equal(Http1BodyFraming.None, plan.Framing);
        Assert.False(plan.SendBody);
        Assert.False(plan.CloseAfter);
    }

    [Fact]
    public void Refuses_interim_statuses_and_unrequested_101()
    {
        var m = NewMachine();
        m.OnRequestHead(Get(), s_t0);
        Assert.Throws<ArgumentOutOfRangeException>(() => m.OnResponseStart(0, 100, -1, false, s_t0));
        Assert.Throws<ArgumentOutOfRangeException>(() => m.OnResponseStart(0, 103, -1, false, s_t0));
        Assert.Throws<ArgumentOutOfRangeException>(() => m.OnResponseStart(0, 600, -1, false, s_t0));
        Assert.Throws<InvalidOperationException>(() => m.OnResponseStart(0, 101, -1, false, s_t0));
    }

    // ---- pipelining order ----

    [Fact]
    public void Responses_start_strictly_in_request_order()
    {
        var m = NewMachine();
        Assert.Equal([0L, 1L, 2L], new[] { m.OnRequestHead(Get(), s_t0).Sequence, m.OnRequestHead(Get(), s_t0).Sequence, m.OnRequestHead(Get(), s_t0).Sequence });
        Assert.False(m.IsNextResponse(1));
        Assert.Throws<InvalidOperationException>(() => m.OnResponseStart(1, 200, 0, false, s_t0));
        Assert.True(m.IsNextResponse(0));
        m.OnResponseStart(0, 200, 0, false, s_t0);
        Assert.False(m.IsNextResponse(0));
        Assert.Throws<InvalidOperationException>(() => m.OnResponseComplete(1, s_t0));
        Assert.Equal(Http1ResponseOutcome.Continue, m.OnResponseComplete(0, s_t0));
        Assert.True(m.IsNextResponse(1));
        Assert.Equal(Http1ResponseOutcome.Continue, Respond(m, 1));
        Assert.Equal(Http1ResponseOutcome.Continue, Respond(m, 2));
        Assert.Equal(0, m.PendingResponses);
    }

    [Fact]
    public void Reading_pauses_at_the_pipelining_limit_and_resumes_when_a_response_completes()
    {
        var m = NewMachine(new HttpServerSettings { MaxPipelinedRequests = 2 });
        Assert.False(m.OnRequestHead(Get(), s_t0).PauseReading);
        Assert.True(m.OnRequestHead(Get(), s_t0).PauseReading);
        Assert.False(m.CanReadNextRequest);
        Assert.Throws<InvalidOperationException>(() => m.OnRequestHead(Get(), s_t0));
        Respond(m, 0);
        Assert.True(m.CanReadNextRequest);
    }

    [Fact]
    public void The_exchange_ring_grows_past_a_wrap_and_keeps_response_order()
    {
        // Two slots at first: fill, wrap (answer one, read one), then grow to the limit.
        var m = NewMachine(new HttpServerSettings { MaxPipelinedRequests = 6 });
        Assert.Equal(0, m.OnRequestHead(Get(), s_t0).Sequence);
        Assert.Equal(1, m.OnRequestHead(Get(), s_t0).Sequence);
        Respond(m, 0);
        for (var expected = 2; expected <= 6; expected++) Assert.Equal(expected, m.OnRequestHead(Get(), s_t0).Sequence);
        Assert.Equal(6, m.PendingResponses);
        Assert.False(m.CanReadNextRequest);
        for (var sequence = 1; sequence <= 6; sequence++) Assert.Equal(Http1ResponseOutcome.Continue, Respond(m, sequence));
        Assert.Equal(0, m.PendingResponses);
        Assert.Equal(7, m.OnRequestHead(Get(), s_t0).Sequence);
    }

    [Fact]
    public void No_request_is_read_while_a_body_is_being_read()
    {
        var m = NewMachine();
        m.OnRequestHead(Post(), s_t0);
        Assert.Equal(Http1ReadPhase.Body, m.ReadPhase);
        Assert.False(m.CanReadNextRequest);
        m.OnRequestBodyComplete(s_t0);
        Assert.True(m.CanReadNextRequest);
    }

    // ---- Expect: 100-continue (RFC 9110 §10.1.1) ----

    [Fact]
    public void Sends_100_Continue_once_when_the_application_starts_reading_the_body()
    {
        var m = NewMachine();
        m.OnRequestHead(Post(expect: Http1Expectation.Continue), s_t0);
        Assert.True(m.OnBodyReadRequested(s_t0));
        Assert.False(m.OnBodyReadRequested(s_t0));
        m.OnRequestBodyComplete(s_t0);
        var plan = m.OnResponseStart(0, 200, 0, false, s_t0);
        Assert.False(plan.CloseAfter);
    }

    [Fact]
    public void A_pipelined_100_Continue_waits_until_the_earlier_responses_are_complete()
    {
        var m = NewMachine();
        m.OnRequestHead(Get(), s_t0);
        m.OnRequestHead(Post(expect: Http1Expectation.Continue), s_t0);
        Assert.False(m.OnBodyReadRequested(s_t0));
        Assert.False(m.TakePendingContinue());
        m.OnResponseStart(0, 200, 0, false, s_t0);
        Assert.False(m.TakePendingContinue());
        Assert.Equal(Http1ResponseOutcome.Continue, m.OnResponseComplete(0, s_t0));
        Assert.True(m.TakePendingContinue());
        Assert.False(m.TakePendingContinue());
        m.OnRequestBodyComplete(s_t0);
        Assert.False(m.OnResponseStart(1, 200, 0, false, s_t0).CloseAfter);
    }

    [Fact]
    public void A_final_response_before_the_body_is_read_means_no_100_and_a_closed_connection()
    {
        var m = NewMachine();
        m.OnRequestHead(Post(expect: Http1Expectation.Continue), s_t0);
        var plan = m.OnResponseStart(0, 413, 0, false, s_t0);
        Assert.Equal(Http1ConnectionHeader.Close, plan.ConnectionHeader);
        Assert.False(m.OnBodyReadRequested(s_t0));
        Assert.Equal(Http1ResponseOutcome.Close, m.OnResponseComplete(0, s_t0));
    }

    [Fact]
    public void Ignores_100_continue_in_HTTP_1_0_and_without_a_body()
    {
        var m10 = NewMachine();
        m10.OnRequestHead(Post(expect: Http1Expectation.Continue, version: Http1Version.Http10), s_t0);
        Assert.False(m10.OnBodyReadRequested(s_t0));

        var empty = NewMachine();
        empty.OnRequestHead(Post(length: 0, expect: Http1Expectation.Continue), s_t0);
        Assert.Equal(Http1ReadPhase.Idle, empty.ReadPhase);
        Assert.False(empty.OnBodyReadRequested(s_t0));
    }

    [Fact]
    public void An_unknown_expectation_is_answered_417_by_the_server()
    {
        var m = NewMachine();
        var withoutBody = m.OnRequestHead(Get() with { Expect = Http1Expectation.Unsupported }, s_t0);
        Assert.Equal(Http1RequestAction.RespondExpectationFailed, withoutBody.Action);
        Assert.Equal(417, m.ServerAnswerFor(withoutBody.Sequence));
        Assert.False(m.OnResponseStart(0, 417, 0, false, s_t0).CloseAfter);
        Assert.Equal(Http1ResponseOutcome.Continue, m.OnResponseComplete(0, s_t0));

        // With a body the unread body is still on the wire: answer, then close.
        var withBody = m.OnRequestHead(Post(expect: Http1Expectation.Unsupported), s_t0);
        Assert.Equal(Http1RequestAction.RespondExpectationFailed, withBody.Action);
        Assert.Equal(Http1ReadPhase.Stopped, m.ReadPhase);
        Assert.True(m.OnResponseStart(1, 417, 0, false, s_t0).CloseAfter);
        Assert.Equal(Http1ResponseOutcome.Close, m.OnResponseComplete(1, s_t0));
    }

    // ---- after a rejection ----

    [Fact]
    public void A_rejection_is_answered_after_the_pending_responses_then_the_connection_closes()
    {
        var m = NewMachine();
        m.OnRequestHead(Get(), s_t0);
        var slot = m.OnRejected(400, s_t0);
        Assert.Equal(1, slot);
        Assert.Equal(400, m.ServerAnswerFor(slot));
        Assert.Equal(0, m.ServerAnswerFor(0));
        Assert.Equal(Http1ReadPhase.Stopped, m.ReadPhase);
        Assert.False(m.IsNextResponse(slot));
        Assert.Equal(Http1ResponseOutcome.Continue, Respond(m, 0));
        var plan = m.OnResponseStart(slot, 400, 0, false, s_t0);
        Assert.Equal(Http1ConnectionHeader.Close, plan.ConnectionHeader);
        Assert.Equal(Http1ResponseOutcome.Close, m.OnResponseComplete(slot, s_t0));
    }

    [Fact]
    public void A_rejection_inside_a_body_answers_that_request_unless_its_response_started()
    {
        var m = NewMachine();
        m.OnRequestHead(Post(), s_t0);
        Assert.Equal(0, m.OnRejected(413, s_t0));
        Assert.Equal(413, m.ServerAnswerFor(0));

        var started = NewMachine();
        started.OnRequestHead(Post(), s_t0);
        started.OnResponseStart(0, 200, -1, false, s_t0);
        Assert.Equal(-1, started.OnRejected(400, s_t0));
    }

    [Fact]
    public void A_response_before_the_body_is_read_drains_the_body_then_continues()
    {
        var m = NewMachine();
        m.OnRequestHead(Post(), s_t0);
        Assert.Equal(Http1ResponseOutcome.DrainRequestBody, Respond(m, 0, 404));
        Assert.False(m.CanReadNextRequest);
        m.OnRequestBodyComplete(s_t0);
        Assert.True(m.CanReadNextRequest);
    }

    [Fact]
    public void A_drain_has_the_data_rate_and_a_failure_during_it_closes_without_an_answer()
    {
        var slow = NewMachine();
        slow.OnRequestHead(Post(length: 1_000_000), s_t0);
        Assert.Equal(Http1ResponseOutcome.DrainRequestBody, Respond(slow, 0, 200));
        Assert.False(slow.OnBodyReadRequested(s_t0));
        Assert.Equal(Http1TimeoutAction.None, slow.CheckTimeouts(At(5)).Action);
        Assert.Equal(Http1TimeoutAction.Abort, slow.CheckTimeouts(At(6)).Action);

        var bad = NewMachine();
        bad.OnRequestHead(Post(), s_t0);
        Respond(bad, 0, 200);
        Assert.Equal(-1, bad.OnRejected(400, s_t0));
        Assert.Equal(0, bad.PendingResponses);
        Assert.False(bad.CanReadNextRequest);
    }

    // ---- upgrade (RFC 9110 §7.8) ----

    [Fact]
    public void An_upgrade_request_pauses_reading_until_it_is_answered()
    {
        var m = NewMachine();
        Assert.True(m.OnRequestHead(Upgrade(), s_t0).PauseReading);
        var plan = m.OnResponseStart(0, 101, -1, false, s_t0);
        Assert.Equal(new Http1ResponsePlan(101, Http1BodyFraming.None, -1, false, Http1ConnectionHeader.Upgrade, false), plan);
        Assert.Equal(Http1ResponseOutcome.SwitchProtocols, m.OnResponseComplete(0, s_t0));
        Assert.Equal(Http1ReadPhase.Stopped, m.ReadPhase);

        var declined = NewMachine();
        declined.OnRequestHead(Upgrade(), s_t0);
        Assert.Equal(Http1ResponseOutcome.Continue, Respond(declined, 0, 200));
        Assert.True(declined.CanReadNextRequest);
    }

    [Fact]
    public void Judges_the_applications_responses_the_1xx_and_upgrade_rules()
    {
        var m = NewMachine();
        m.OnRequestHead(Upgrade(), s_t0);
        Assert.Equal(Http1ResponseVerdict.Accept, m.CheckResponse(0, 101, switchesProtocol: true, protocolOffered: true));
        Assert.Equal(Http1ResponseVerdict.RefuseUnrequestedUpgrade, m.CheckResponse(0, 101, switchesProtocol: true, protocolOffered: false));
        Assert.Equal(Http1ResponseVerdict.RefuseUpgradeWithoutFlow, m.CheckResponse(0, 101, switchesProtocol: false, protocolOffered: true));
        Assert.Equal(Http1ResponseVerdict.RefuseUpgradeWithoutFlow, m.CheckResponse(0, 200, switchesProtocol: true, protocolOffered: true));
        Assert.Equal(Http1ResponseVerdict.RefuseInterim, m.CheckResponse(0, 100, false, false));
        Assert.Equal(Http1ResponseVerdict.RefuseInterim, m.CheckResponse(0, 103, false, false));
        Assert.Equal(Http1ResponseVerdict.Accept, m.CheckResponse(0, 200, false, false));
        Assert.True(m.MayUpgrade(0));

        var plain = NewMachine();
        plain.OnRequestHead(Get(), s_t0);
        Assert.Equal(Http1ResponseVerdict.RefuseUnrequestedUpgrade, plain.CheckResponse(0, 101, true, true));
        Assert.False(plain.MayUpgrade(0));

        // RFC 9110 §7.8: Upgrade in an HTTP/1.0 request is ignored.
        var old = NewMachine();
        old.OnRequestHead(Upgrade() with { Version = Http1Version.Http10, Connection = Http1ConnectionOptions.Upgrade | Http1ConnectionOptions.KeepAlive }, s_t0);
        Assert.Equal(Http1ResponseVerdict.RefuseUnrequestedUpgrade, old.CheckResponse(0, 101, true, true));

        var withBody = NewMachine();
        withBody.OnRequestHead(Upgrade() with { Framing = Http1BodyFraming.ContentLength, ContentLength = 4 }, s_t0);
        Assert.Equal(Http1ResponseVerdict.RefuseUpgradeBeforeBody, withBody.CheckResponse(0, 101, true, true));
        Assert.False(withBody.MayUpgrade(0));
        withBody.OnBodyReadRequested(s_t0);
        withBody.OnRequestBodyComplete(s_t0);
        Assert.Equal(Http1ResponseVerdict.Accept, withBody.CheckResponse(0, 101, true, true));
    }

    [Fact]
    public void Holds_back_a_bodied_head_until_100_Continue_is_decided_then_keeps_the_connection()
    {
        var m = NewMachine();
        m.OnRequestHead(Post(expect: Http1Expectation.Continue), s_t0);
        Assert.True(m.DefersHeadForContinue(0, 200));
        Assert.False(m.DefersHeadForContinue(0, 204));
        Assert.False(m.DefersHeadForContinue(0, 304));

        // The response's body reads the request's: 100 first, then the head, and the connection is kept.
        Assert.True(m.OnBodyReadRequested(s_t0));
        Assert.False(m.DefersHeadForContinue(0, 200));
        var plan = m.OnResponseStart(0, 200, -1, false, s_t0);
        Assert.False(plan.CloseAfter);
        m.OnRequestBodyComplete(s_t0);
        Assert.Equal(Http1ResponseOutcome.Continue, m.OnResponseComplete(0, s_t0));

        var head = NewMachine();
        head.OnRequestHead(Post(expect: Http1Expectation.Continue) with { Method = Http1Method.Head }, s_t0);
        Assert.False(head.DefersHeadForContinue(0, 200));
        var noExpect = NewMachine();
        noExpect.OnRequestHead(Post(), s_t0);
        Assert.False(noExpect.DefersHeadForContinue(0, 200));
    }

    [Fact]
    public void Is_the_one_connection_state_through_exchange_drain_close_and_upgrade()
    {
        var m = NewMachine();
        Assert.Equal(Http1ConnectionState.ReadingHead, m.State);
        m.OnRequestHead(Post(), s_t0);
        Assert.Equal(Http1ConnectionState.Exchange, m.State);
        Assert.Equal(Http1ResponseOutcome.DrainRequestBody, Respond(m, 0));
        Assert.Equal(Http1ConnectionState.Draining, m.State);
        m.OnRequestBodyComplete(s_t0);
        Assert.Equal(Http1ConnectionState.ReadingHead, m.State);
        m.OnRequestHead(Get(), s_t0);
        Assert.Equal(Http1ResponseOutcome.Continue, Respond(m, 1));
        Assert.Equal(Http1ConnectionState.ReadingHead, m.State);
        Assert.True(m.OnClosing(s_t0));
        Assert.False(m.OnClosing(s_t0));
        Assert.Equal(Http1ConnectionState.Closing, m.State);
        Assert.False(m.CanReadNextRequest);
        Assert.Null(m.NextCheck(s_t0));

        var upgraded = NewMachine();
        upgraded.OnRequestHead(Upgrade(), s_t0);
        upgraded.OnResponseStart(0, 101, -1, false, s_t0);
        upgraded.OnResponseComplete(0, s_t0);
        Assert.Equal(Http1ConnectionState.Upgraded, upgraded.State);
        Assert.False(upgraded.OnClosing(s_t0));
        Assert.Equal(Http1ConnectionState.Upgraded, upgraded.State);
    }

    // ---- end of input and shutdown ----

    [Fact]
    public void End_of_input_closes_at_once_when_idle_and_after_the_pending_responses_otherwise()
    {
        Assert.True(NewMachine().OnInputClosed(s_t0));
        var m = NewMachine();
        m.OnRequestHead(Get(), s_t0);
        Assert.False(m.OnInputClosed(s_t0));
        Assert.Equal(Http1ResponseOutcome.Close, Respond(m, 0));
    }

    [Fact]
    public void Graceful_close_marks_the_next_response_with_close()
    {
        var m = NewMachine();
        m.OnRequestHead(Get(), s_t0);
        Assert.False(m.BeginGracefulClose(s_t0));
        Assert.False(m.CanReadNextRequest);
        Assert.Equal(Http1ConnectionHeader.Close, m.OnResponseStart(0, 200, 0, false, s_t0).ConnectionHeader);
        Assert.True(NewMachine().BeginGracefulClose(s_t0));
    }

    // ---- timers ----

    [Fact]
    public void A_new_connection_without_a_request_closes_after_the_keep_alive_timeout()
    {
        var m = NewMachine();
        Assert.Equal(At(130), m.NextCheck(s_t0));
        Assert.Equal(Http1TimeoutAction.None, m.CheckTimeouts(At(129.9)).Action);
        Assert.Equal(Http1TimeoutAction.CloseIdle, m.CheckTimeouts(At(130)).Action);
        Assert.Equal(Http1ReadPhase.Stopped, m.ReadPhase);
    }

    [Fact]
    public void The_keep_alive_timer_runs_only_while_nothing_is_pending_and_restarts_after_each_response()
    {
        var m = NewMachine();
        m.OnHeadBytesReceived(At(100));
        m.OnRequestHead(Get(), At(100));
        Assert.Null(m.NextCheck(At(100)));
        Assert.Equal(Http1TimeoutAction.None, m.CheckTimeouts(At(1000)).Action);
        m.OnResponseStart(0, 200, 0, false, At(1000));
        m.OnResponseComplete(0, At(1010));
        Assert.Equal(At(1140), m.NextCheck(At(1010)));
        Assert.Equal(Http1TimeoutAction.None, m.CheckTimeouts(At(1139)).Action);
        Assert.Equal(Http1TimeoutAction.CloseIdle, m.CheckTimeouts(At(1140)).Action);
    }

    [Fact]
    public void A_slow_request_head_gets_408_after_the_request_headers_timeout()
    {
        var m = NewMachine();
        m.OnHeadBytesReceived(At(5));
        m.OnHeadBytesReceived(At(20));
        Assert.Equal(At(35), m.NextCheck(At(20)));
        Assert.Equal(Http1TimeoutAction.None, m.CheckTimeouts(At(34.9)).Action);
        var decision = m.CheckTimeouts(At(35));
        Assert.Equal(Http1TimeoutAction.RespondRequestTimeout, decision.Action);
        Assert.Equal(408, m.ServerAnswerFor(decision.Sequence));
        Assert.True(m.IsNextResponse(decision.Sequence));
        Assert.True(m.OnResponseStart(decision.Sequence, 408, 0, false, At(35)).CloseAfter);
    }

    [Fact]
    public void The_minimum_body_rate_applies_after_the_grace_period()
    {
        var m = NewMachine();
        m.OnRequestHead(Post(length: 1_000_000), s_t0);
        Assert.Null(m.NextCheck(s_t0));
        m.OnBodyReadRequested(s_t0);
        Assert.Equal(Http1TimeoutAction.None, m.CheckTimeouts(At(5)).Action);
        m.OnBodyBytesReceived(240 * 6, At(6));
        Assert.Equal(Http1TimeoutAction.None, m.CheckTimeouts(At(6)).Action);
        Assert.Equal(At(7), m.NextCheck(At(6)));
        var decision = m.CheckTimeouts(At(7));
        Assert.Equal(Http1TimeoutAction.RespondRequestTimeout, decision.Action);
        Assert.Equal(0, decision.Sequence);
        Assert.Equal(408, m.ServerAnswerFor(0));
    }

    [Fact]
    public void Time_paused_by_back_pressure_does_not_count_against_the_client()
    {
        var m = NewMachine();
        m.OnRequestHead(Post(length: 1_000_000), s_t0);
        m.OnBodyReadRequested(s_t0);
        m.OnBodyReadPaused(At(1));
        Assert.Null(m.NextCheck(At(50)));
        Assert.Equal(Http1TimeoutAction.None, m.CheckTimeouts(At(100)).Action);
        m.OnBodyReadResumed(At(100));
        Assert.Equal(Http1TimeoutAction.None, m.CheckTimeouts(At(104)).Action);
        Assert.Equal(Http1TimeoutAction.RespondRequestTimeout, m.CheckTimeouts(At(104.5)).Action);
    }

    [Fact]
    public void A_slow_body_after_the_response_started_aborts_the_connection()
    {
        var m = NewMachine();
        m.OnRequestHead(Post(length: 1_000_000), s_t0);
        m.OnBodyReadRequested(s_t0);
        m.OnResponseStart(0, 200, -1, false, At(1));
        Assert.Equal(Http1TimeoutAction.Abort, m.CheckTimeouts(At(10)).Action);
    }

    [Fact]
    public void No_minimum_rate_when_it_is_off()
    {
        var m = NewMachine(new HttpServerSettings { MinRequestBodyDataRate = null });
        m.OnRequestHead(Post(length: 1_000_000), s_t0);
        m.OnBodyReadRequested(s_t0);
        Assert.Null(m.NextCheck(At(10)));
        Assert.Equal(Http1TimeoutAction.None, m.CheckTimeouts(At(10_000)).Action);
    }

    [Fact]
    public void The_rate_clock_stops_when_the_body_is_complete()
    {
        var m = NewMachine();
        m.OnRequestHead(Post(length: 10), s_t0);
        m.OnBodyReadRequested(s_t0);
        m.OnBodyBytesReceived(10, At(0.1));
        m.OnRequestBodyComplete(At(0.1));
        Assert.Equal(Http1TimeoutAction.None, m.CheckTimeouts(At(60)).Action);
    }

    [Fact]
    public void The_request_headers_timer_does_not_run_while_the_server_holds_reading_back()
    {
        var m = NewMachine(new HttpServerSettings { MaxPipelinedRequests = 1 });
        m.OnRequestHead(Get(), s_t0);
        m.OnHeadBytesReceived(At(1));
        Assert.Equal(Http1ReadPhase.Idle, m.ReadPhase);
        Assert.Equal(Http1TimeoutAction.None, m.CheckTimeouts(At(100)).Action);
        Respond(m, 0, now: At(100));
        m.OnHeadBytesReceived(At(100));
        Assert.Equal(Http1ReadPhase.Head, m.ReadPhase);
        Assert.Equal(Http1TimeoutAction.RespondRequestTimeout, m.CheckTimeouts(At(130)).Action);
    }

    [Fact]
    public void Random_event_sequences_keep_response_order_and_the_plan_invariants()
    {
        var settings = new HttpServerSettings { MaxPipelinedRequests = 3 };
        var responses = 0;
        var pipelined = 0;
        Gen.Int[0, 999].Array[1, 300].Sample(script =>
        {
            var m = new Http1ServerStateMachine(settings, s_t0);
            var expected = new Queue<long>();
            var nextSequence = 0L;
            var now = s_t0;
            foreach (var roll in script)
            {
                now += TimeSpan.FromMilliseconds(roll % 7 * 300);
                Assert.InRange(m.PendingResponses, 0, settings.MaxPipelinedRequests + 1);
                Assert.Equal(expected.Count, m.PendingResponses);
                var choice = roll % 10;
                if (choice <= 2 && m.CanReadNextRequest)
                {
                    m.OnHeadBytesReceived(now);
                    var head = RandomHead(roll);
                    var decision = m.OnRequestHead(head, now);
                    Assert.Equal(nextSequence++, decision.Sequence);
                    expected.Enqueue(decision.Sequence);
                    Assert.Equal(head.Expect == Http1Expectation.Unsupported ? 417 : 0, m.ServerAnswerFor(decision.Sequence));
                }
                else if (choice == 3 && m.ReadPhase == Http1ReadPhase.Body)
                {
                    m.OnBodyReadRequested(now);
                    m.OnBodyBytesReceived(roll, now);
                    if (roll % 3 != 0) m.OnRequestBodyComplete(now);
                }
                else if (choice <= 6 && expected.Count > 0)
                {
                    var sequence = expected.Peek();
                    Assert.True(m.IsNextResponse(sequence));
                    int[] statuses = [200, 204, 304, 404, 500];
                    var status = m.ServerAnswerFor(sequence) is var server and > 0 ? server : statuses[roll % statuses.Length];
                    var plan = m.OnResponseStart(sequence, status, roll % 2 == 0 ? roll : -1, roll % 41 == 0, now);
                    Assert.False(m.IsNextResponse(sequence));
                    Assert.Equal(plan.CloseAfter, plan.ConnectionHeader == Http1ConnectionHeader.Close);
                    if (status is 204 or 304) Assert.False(plan.SendBody);
                    if (plan.Framing == Http1BodyFraming.ContentLength) Assert.True(plan.ContentLength >= 0);
                    if (plan.Framing == Http1BodyFraming.CloseDelimited) Assert.True(plan.CloseAfter);
                    expected.Dequeue();
                    responses++;
                    if (expected.Count > 0) pipelined++;
                    var outcome = m.OnResponseComplete(sequence, now);
                    if (outcome == Http1ResponseOutcome.DrainRequestBody) m.OnRequestBodyComplete(now);
                    if (outcome == Http1ResponseOutcome.Close)
                    {
                        Assert.True(plan.CloseAfter || expected.Count == 0);
                        Assert.False(m.CanReadNextRequest);
                        return;
                    }
                }
                else if (choice == 7 && roll % 5 == 0)
                {
                    var slot = m.OnRejected(400, now);
                    if (slot < 0) return;
                    if (slot == nextSequence) expected.Enqueue(nextSequence++);
                    Assert.Equal(400, m.ServerAnswerFor(slot));
                    Assert.False(m.CanReadNextRequest);
                }
                else if (choice == 8)
                {
                    var timeout = m.CheckTimeouts(now + TimeSpan.FromSeconds(roll % 40));
                    if (timeout.Action is Http1TimeoutAction.CloseIdle or Http1TimeoutAction.Abort) return;
                    if (timeout.Action == Http1TimeoutAction.RespondRequestTimeout && timeout.Sequence == nextSequence) expected.Enqueue(nextSequence++);
                }
            }
        }, iter: 400, threads: 1);

        // The walk must exercise the machine, not end at once.
        Assert.True(responses > 1000, $"only {responses} responses");
        Assert.True(pipelined > 100, $"only {pipelined} responses with others pending");
    }

    private static Http1RequestHead RandomHead(int roll)
    {
        var version = roll % 13 == 0 ? Http1Version.Http10 : Http1Version.Http11;
        var connection = roll % 17 == 0 ? Http1ConnectionOptions.Close : roll % 19 == 0 ? Http1ConnectionOptions.KeepAlive : Http1ConnectionOptions.None;
        var expect = roll % 23 == 0 ? Http1Expectation.Unsupported : roll % 8 == 0 ? Http1Expectation.Continue : Http1Expectation.None;
        var method = roll % 9 == 0 ? Http1Method.Head : Http1Method.Post;
        var framing = (roll / 10 % 3) switch { 0 => Http1BodyFraming.None, 1 => Http1BodyFraming.ContentLength, _ => Http1BodyFraming.Chunked };
        return new Http1RequestHead(method, version, Http1RequestTargetForm.Origin, framing, framing == Http1BodyFraming.ContentLength ? roll : -1, connection, expect, false);
    }
}
