using System.Buffers;
using System.Text;
using CsCheck;
using Epsilon.Actors.Http.Http1.Parsing;
using Epsilon.Actors.Http.Settings;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Http1.Parsing;

/// <summary>Valid requests, forms, versions, pipelining and every limit; each input runs through <see cref="TestKit.SplitEverywhere"/>.</summary>
[Trait("Category", "Unit")]
public sealed class Http1RequestParserTests
{
    private static readonly HttpServerSettings s_defaults = new();

    [Fact]
    public void Parses_a_simple_GET_with_its_headers_in_order()
    {
        var r = RequestRecorder.Parse("GET /index.html?q=1 HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\nX-Empty:\r\n\r\n");
        Assert.Null(r.RejectedWith);
        var request = Assert.Single(r.Requests);
        Assert.Equal(Http1Method.Get, request.Method);
        Assert.Equal("/index.html?q=1", request.Target);
        Assert.Equal(Http1RequestTargetForm.Origin, request.Form);
        Assert.Equal(Http1Version.Http11, request.Version);
        Assert.Equal([("Host", "example.com"), ("Accept", "*/*"), ("X-Empty", "")], request.Headers);
        Assert.Equal(Http1BodyFraming.None, request.Head!.Value.Framing);
        Assert.True(request.Head.Value.ClientWantsKeepAlive);
        Assert.True(request.Complete);
        Assert.Equal(Http1RequestParserState.RequestLine, r.State);
    }

    [Theory]
    [InlineData("GET", Http1Method.Get)]
    [InlineData("HEAD", Http1Method.Head)]
    [InlineData("POST", Http1Method.Post)]
    [InlineData("PUT", Http1Method.Put)]
    [InlineData("DELETE", Http1Method.Delete)]
    [InlineData("OPTIONS", Http1Method.Options)]
    [InlineData("TRACE", Http1Method.Trace)]
    [InlineData("PATCH", Http1Method.Patch)]
    [InlineData("PROPFIND", Http1Method.Custom)]
    [InlineData("get", Http1Method.Custom)]
    [InlineData("M-SEARCH", Http1Method.Custom)]
    internal void Recognises_registered_methods_case_sensitively_and_keeps_other_tokens(string method, Http1Method expected)
    {
        var r = RequestRecorder.Parse($"{method} / HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal(expected, r.Requests[0].Method);
        Assert.Equal(method, r.Requests[0].MethodToken);
    }

    [Theory]
    [InlineData("GET /a/b HTTP/1.1", Http1RequestTargetForm.Origin)]
    [InlineData("GET http://example.com/a?b HTTP/1.1", Http1RequestTargetForm.Absolute)]
    [InlineData("GET urn:isbn:1 HTTP/1.1", Http1RequestTargetForm.Absolute)]
    [InlineData("CONNECT example.com:443 HTTP/1.1", Http1RequestTargetForm.Authority)]
    [InlineData("CONNECT [::1]:8080 HTTP/1.1", Http1RequestTargetForm.Authority)]
    [InlineData("OPTIONS * HTTP/1.1", Http1RequestTargetForm.Asterisk)]
    [InlineData("OPTIONS /x HTTP/1.1", Http1RequestTargetForm.Origin)]
    internal void Classifies_the_four_target_forms(string requestLine, Http1RequestTargetForm form)
    {
        var r = RequestRecorder.Parse($"{requestLine}\r\nHost: example.com\r\n\r\n");
        Assert.Null(r.RejectedWith);
        Assert.Equal(form, r.Requests[0].Form);
    }

    [Theory]
    [InlineData("GET * HTTP/1.1")]
    [InlineData("CONNECT /a HTTP/1.1")]
    [InlineData("CONNECT example.com HTTP/1.1")]
    [InlineData("CONNECT example.com:https HTTP/1.1")]
    [InlineData("CONNECT http://a:1/ HTTP/1.1")]
    [InlineData("GET example.com/a HTTP/1.1")]
    [InlineData("GET :80/a HTTP/1.1")]
    [InlineData("GET 1http://a/ HTTP/1.1")]
    [InlineData("GET /a\u00e9 HTTP/1.1")]
    [InlineData("GET /a\u007f HTTP/1.1")]
    [InlineData("GET /a\u0001 HTTP/1.1")]
    public void Rejects_a_target_its_method_does_not_allow_or_with_bytes_outside_printable_ASCII_with_400(string requestLine)
    {
        var r = RequestRecorder.Parse($"{requestLine}\r\nHost: a\r\n\r\n");
        Assert.Equal(400, r.RejectedWith);
    }

    [Theory]
    [InlineData("HTTP/2.0")]
    [InlineData("HTTP/1.2")]
    [InlineData("HTTP/0.9")]
    [InlineData("HTTP/3.0")]
    public void Answers_other_well_formed_versions_with_505(string version)
    {
        var r = RequestRecorder.Parse($"GET / {version}\r\nHost: a\r\n\r\n");
        Assert.Equal(505, r.RejectedWith);
    }

    [Theory]
    [InlineData("GET / http/1.1")]
    [InlineData("GET / HTTP/1.1 ")]
    [InlineData("GET / HTTP/11")]
    [InlineData("GET / HTTP/1.10")]
    [InlineData("GET / HTTP/1")]
    [InlineData("GET /")]
    [InlineData("GET  / HTTP/1.1")]
    [InlineData(" GET / HTTP/1.1")]
    [InlineData("GET\t/ HTTP/1.1")]
    [InlineData("GET /\tHTTP/1.1")]
    [InlineData("G(T / HTTP/1.1")]
    [InlineData("/ HTTP/1.1")]
    [InlineData("")]
    public void Rejects_a_malformed_request_line_with_400(string requestLine)
    {
        var r = RequestRecorder.Parse($"{requestLine}\r\nHost: a\r\n\r\n");
        Assert.Equal(400, r.RejectedWith);
    }

    [Fact]
    public void Accepts_HTTP_1_0_without_Host_and_closes_by_default()
    {
        var r = RequestRecorder.Parse("GET / HTTP/1.0\r\n\r\n");
        Assert.Equal(Http1Version.Http10, r.Requests[0].Version);
        Assert.False(r.Requests[0].Head!.Value.ClientWantsKeepAlive);
        var keepAlive = RequestRecorder.Parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
        Assert.True(keepAlive.Requests[0].Head!.Value.ClientWantsKeepAlive);
    }

    [Fact]
    public void Trims_optional_whitespace_around_values_and_keeps_inner_spaces_and_obs_text()
    {
        var r = RequestRecorder.Parse("GET / HTTP/1.1\r\nHost:a\r\nX-A: \t one  two \t \r\nX-B:caf\u00e9\r\n\r\n");
        Assert.Equal([("Host", "a"), ("X-A", "one  two"), ("X-B", "caf\u00e9")], r.Requests[0].Headers);
    }

    [Fact]
    public void Skips_empty_lines_before_a_request_line()
    {
        var r = RequestRecorder.Parse("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.True(Assert.Single(r.Requests).Complete);
    }

    [Fact]
    public void Reads_a_Content_Length_body_and_leaves_the_next_request_unconsumed_when_incomplete()
    {
        var r = RequestRecorder.Parse("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello worldGET /next HT");
        Assert.Equal("hello world", r.Requests[0].BodyText);
        Assert.True(r.Requests[0].Complete);
        Assert.Equal(11, r.Requests[0].Head!.Value.ContentLength);
        Assert.Equal("GET /next HT".Length, Unconsumed("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello worldGET /next HT"));
    }

    [Fact]
    public void Reads_a_chunked_body_with_extensions_and_trailers()
    {
        var r = RequestRecorder.Parse(
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" +
            "5;name=value;q=\"x y\"\r\nhello\r\n1 ; ext\r\n \r\nA\r\n0123456789\r\n000\r\nX-Sum: 42\r\nX-Other: b\r\n\r\n");
        var request = Assert.Single(r.Requests);
        Assert.Equal(Http1BodyFraming.Chunked, request.Head!.Value.Framing);
        Assert.Equal("hello 0123456789", request.BodyText);
        Assert.Equal([("X-Sum", "42"), ("X-Other", "b")], request.Trailers);
        Assert.True(request.Complete);
    }

    [Fact]
    public void Parses_pipelined_requests_in_order()
    {
        var r = RequestRecorder.Parse(
            "GET /1 HTTP/1.1\r\nHost: a\r\n\r\n" +
            "POST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc" +
            "PUT /3 HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n0\r\n\r\n" +
            "DELETE /4 HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n");
        Assert.Equal(["/1", "/2", "/3", "/4"], r.Requests.Select(x => x.Target));
        Assert.Equal(["", "abc", "de", ""], r.Requests.Select(x => x.BodyText));
        Assert.All(r.Requests, x => Assert.True(x.Complete));
    }

    [Fact]
    public void Reads_connection_options_expectations_and_upgrade()
    {
        var r = RequestRecorder.Parse("GET /chat HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Upgrade\r\nUpgrade: websocket\r\nExpect: 100-Continue\r\n\r\n");
        var head = r.Requests[0].Head!.Value;
        Assert.Equal(Http1ConnectionOptions.KeepAlive | Http1ConnectionOptions.Upgrade, head.Connection);
        Assert.True(head.RequestsUpgrade);
        Assert.Equal(Http1Expectation.Continue, head.Expect);

        var other = RequestRecorder.Parse("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nExpect: x-magic\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        Assert.Equal(Http1Expectation.Unsupported, other.Requests[0].Head!.Value.Expect);
        Assert.False(other.Requests[0].Head!.Value.ClientWantsKeepAlive);
    }

    [Fact]
    public void Consumes_nothing_for_every_prefix_of_a_request_line()
    {
        var bytes = Encoding.ASCII.GetBytes("GET /some/path HTTP/1.1\r\n");
        for (var length = 0; length < bytes.Length; length++)
        {
            using var parser = new Http1RequestParser(s_defaults);
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes, 0, length));
            var handler = default(NoHandler);
            Assert.False(parser.TryParseHead(ref reader, ref handler));
            Assert.Equal(0, reader.Consumed);
            Assert.Equal(Http1RequestParserState.RequestLine, parser.State);
        }
    }

    [Fact]
    public void Refuses_calls_out_of_order_and_after_a_rejection()
    {
        using var parser = new Http1RequestParser(s_defaults);
        Assert.Throws<InvalidOperationException>(() => TryBody(parser));
        Assert.Throws<Http1Rejection>(() => TryHead(parser, "GET / HTTP/9.9\r\n"));
        Assert.Equal(Http1RequestParserState.Failed, parser.State);
        Assert.Throws<InvalidOperationException>(() => TryHead(parser, "GET / HTTP/1.1\r\n"));
    }

    // ---- limits: exactly at the limit passes, one over fails with the right status ----

    [Fact]
    public void Request_line_of_exactly_the_limit_passes_and_one_byte_more_is_414()
    {
        const string prefix = "GET /";
        const string suffix = " HTTP/1.1";
        var atLimit = prefix + new string('a', s_defaults.MaxRequestLineSize - prefix.Length - suffix.Length) + suffix;
        Assert.Equal(s_defaults.MaxRequestLineSize, atLimit.Length);
        Assert.Null(RequestRecorder.Parse(atLimit + "\r\nHost: a\r\n\r\n").RejectedWith);
        var over = prefix + new string('a', s_defaults.MaxRequestLineSize - prefix.Length - suffix.Length + 1) + suffix;
        Assert.Equal(414, RequestRecorder.Parse(over + "\r\nHost: a\r\n\r\n").RejectedWith);
        // Without any line end, 414 as soon as the limit is passed.
        Assert.Equal(414, RequestRecorder.Parse(over).RejectedWith);
    }

    [Fact]
    public void Header_section_of_exactly_the_limit_passes_and_one_byte_more_is_431()
    {
        var atLimit = HeadersOfTotalSize(s_defaults.MaxRequestHeadersTotalSize);
        Assert.Null(RequestRecorder.Parse("GET / HTTP/1.1\r\n" + atLimit + "\r\n").RejectedWith);
        var over = HeadersOfTotalSize(s_defaults.MaxRequestHeadersTotalSize + 1);
        var r = RequestRecorder.Parse("GET / HTTP/1.1\r\n" + over + "\r\n");
        Assert.Equal(431, r.RejectedWith);
        Assert.Equal(Http1RejectionReason.HeadersTooLarge, r.Rejection!.Reason);
    }

    [Fact]
    public void Exactly_the_maximum_header_count_passes_and_one_more_is_431()
    {
        var atLimit = "Host: a\r\n" + string.Concat(Enumerable.Range(1, s_defaults.MaxRequestHeaderCount - 1).Select(i => $"X-{i}: v\r\n"));
        Assert.Null(RequestRecorder.Parse("GET / HTTP/1.1\r\n" + atLimit + "\r\n").RejectedWith);
        var r = RequestRecorder.Parse("GET / HTTP/1.1\r\n" + atLimit + "X-Last: v\r\n\r\n");
        Assert.Equal(431, r.RejectedWith);
        Assert.Equal(Http1RejectionReason.TooManyHeaders, r.Rejection!.Reason);
    }

    [Fact]
    public void Content_Length_of_exactly_the_body_limit_passes_and_one_more_is_413_before_the_body()
    {
        var settings = new HttpServerSettings { MaxRequestBodySize = 100 };
        var ok = RequestRecorder.Parse($"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n{new string('b', 100)}", settings);
        Assert.Equal(100, ok.Requests[0].Body.Length);
        Assert.Equal(413, RequestRecorder.Parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 101\r\n\r\n", settings).RejectedWith);

        // The default limit (30,000,000): the head alone decides.
        Assert.Null(RequestRecorder.Parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 30000000\r\n\r\n").RejectedWith);
        Assert.Equal(413, RequestRecorder.Parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 30000001\r\n\r\n").RejectedWith);
    }

    [Fact]
    public void Chunked_body_of_exactly_the_limit_passes_and_one_byte_more_is_413()
    {
        var settings = new HttpServerSettings { MaxRequestBodySize = 100 };
        var head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
        var ok = RequestRecorder.Parse(head + "32\r\n" + new string('x', 50) + "\r\n32\r\n" + new string('y', 50) + "\r\n0\r\n\r\n", settings);
        Assert.Equal(100, ok.Requests[0].Body.Length);
        var over = RequestRecorder.Parse(head + "32\r\n" + new string('x', 50) + "\r\n33\r\n" + new string('y', 51) + "\r\n0\r\n\r\n", settings);
        Assert.Equal(413, over.RejectedWith);
        Assert.Equal(50, over.Requests[0].Body.Length);
    }

    [Fact]
    public void A_per_request_body_limit_replaces_the_default_for_that_request_only()
    {
        var input = Encoding.ASCII.GetBytes(
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 20\r\n\r\n" + new string('a', 20) +
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n14\r\n" + new string('b', 20) + "\r\n0\r\n\r\n");
        using var parser = new Http1RequestParser(new HttpServerSettings { MaxRequestBodySize = 100 });
        var handler = default(NoHandler);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(input));
        Assert.Throws<InvalidOperationException>(() => parser.LimitBodySize(20));
        Assert.True(parser.TryParseHead(ref reader, ref handler));
        parser.LimitBodySize(20);
        Assert.True(parser.TryParseBody(ref reader, ref handler));
        Assert.True(parser.TryParseHead(ref reader, ref handler));
        parser.LimitBodySize(19);
        var status = 0;
        try
        {
            parser.TryParseBody(ref reader, ref handler);
        }
        catch (Http1Rejection rejection)
        {
            status = rejection.StatusCode;
        }

        Assert.Equal(413, status);
        Assert.Equal(Http1RequestParserState.Failed, parser.State);

        // A Content-Length above the default is judged against the per-request limit, when the body starts.
        using var raised = new Http1RequestParser(new HttpServerSettings { MaxRequestBodySize = 10 });
        var again = new SequenceReader<byte>(new ReadOnlySequence<byte>(input));
        Assert.True(raised.TryParseHead(ref again, ref handler));
        raised.LimitBodySize(null);
        Assert.True(raised.TryParseBody(ref again, ref handler));
        Assert.True(raised.TryParseHead(ref again, ref handler));
        Assert.Equal(413, CatchStatus(raised, ref again));

        using var lowered = new Http1RequestParser(new HttpServerSettings());
        var third = new SequenceReader<byte>(new ReadOnlySequence<byte>(input));
        Assert.True(lowered.TryParseHead(ref third, ref handler));
        lowered.LimitBodySize(19);
        Assert.Equal(413, CatchStatus(lowered, ref third));
        Assert.Equal(0, third.Consumed - input.AsSpan().IndexOf("aaaa"u8));
    }

    private static int CatchStatus(Http1RequestParser parser, ref SequenceReader<byte> reader)
    {
        var handler = default(NoHandler);
        try
        {
            parser.TryParseBody(ref reader, ref handler);
            return 0;
        }
        catch (Http1Rejection rejection)
        {
            return rejection.StatusCode;
        }
    }

    [Fact]
    public void No_body_limit_when_it_is_off()
    {
        var settings = new HttpServerSettings { MaxRequestBodySize = null };
        Assert.Null(RequestRecorder.Parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 999999999999999999\r\n\r\n", settings).RejectedWith);
    }

    [Fact]
    public void Chunk_extensions_of_exactly_the_limit_pass_and_one_byte_more_is_400()
    {
        var head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
        var limit = s_defaults.MaxChunkExtensionSize;
        var oneLine = ";e=" + new string('v', limit - 3);
        Assert.Null(RequestRecorder.Parse(head + "1" + oneLine + "\r\nz\r\n0\r\n\r\n").RejectedWith);
        var r = RequestRecorder.Parse(head + "1" + oneLine + "v\r\nz\r\n0\r\n\r\n");
        Assert.Equal(400, r.RejectedWith);
        Assert.Equal(Http1RejectionReason.InvalidChunkExtension, r.Rejection!.Reason);

        // The budget is per body: the last chunk's extension counts too.
        var half = ";e=" + new string('v', (limit / 2) - 3);
        var rest = ";f=" + new string('w', limit - half.Length - 3);
        Assert.Null(RequestRecorder.Parse(head + "1" + half + "\r\nz\r\n0" + rest + "\r\n\r\n").RejectedWith);
        Assert.Equal(400, RequestRecorder.Parse(head + "1" + half + "\r\nz\r\n0" + rest + "w\r\n\r\n").RejectedWith);
    }

    [Fact]
    public void Many_tiny_chunks_cannot_carry_unbounded_extensions()
    {
        var body = string.Concat(Enumerable.Repeat("1;x=yyyyyyyyyy\r\nz\r\n", 500)) + "0\r\n\r\n";
        var r = RequestRecorder.Parse("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + body);
        Assert.Equal(400, r.RejectedWith);
        Assert.Equal(Http1RejectionReason.InvalidChunkExtension, r.Rejection!.Reason);
    }

    [Fact]
    public void Chunk_sizes_may_have_64_digits_but_not_65()
    {
        var head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
        Assert.Null(RequestRecorder.Parse(head + new string('0', 63) + "1\r\nz\r\n0\r\n\r\n").RejectedWith);
        Assert.Equal(400, RequestRecorder.Parse(head + new string('0', 64) + "1\r\nz\r\n0\r\n\r\n").RejectedWith);
    }

    [Fact]
    public void Trailers_have_the_header_limits_of_their_own()
    {
        var head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nz\r\n0\r\n";
        Assert.Null(RequestRecorder.Parse(head + HeadersOfTotalSize(s_defaults.MaxRequestHeadersTotalSize) + "\r\n").RejectedWith);
        Assert.Equal(431, RequestRecorder.Parse(head + HeadersOfTotalSize(s_defaults.MaxRequestHeadersTotalSize + 1) + "\r\n").RejectedWith);
        var many = string.Concat(Enumerable.Range(0, s_defaults.MaxRequestHeaderCount).Select(i => $"T-{i}: v\r\n"));
        Assert.Null(RequestRecorder.Parse(head + many + "\r\n").RejectedWith);
        Assert.Equal(431, RequestRecorder.Parse(head + many + "T-x: v\r\n\r\n").RejectedWith);
    }

    [Fact]
    public void Smaller_configured_limits_apply()
    {
        var settings = new HttpServerSettings { MaxRequestLineSize = 64, MaxRequestHeadersTotalSize = 256, MaxRequestHeaderCount = 2 };
        Assert.Equal(414, RequestRecorder.Parse("GET /" + new string('a', 60) + " HTTP/1.1\r\n\r\n", settings).RejectedWith);
        Assert.Equal(431, RequestRecorder.Parse("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n", settings).RejectedWith);
        Assert.Equal(431, RequestRecorder.Parse("GET / HTTP/1.1\r\nHost: " + new string('a', 260) + "\r\n\r\n", settings).RejectedWith);
    }

    [Fact]
    public void Mutated_requests_are_parsed_or_rejected_alike_in_every_split_and_never_throw_anything_else()
    {
        byte[] interesting = [(byte)'\r', (byte)'\n', 0, (byte)' ', (byte)'\t', (byte)':', (byte)',', (byte)';', (byte)'0', (byte)'f', 0xFF, 0x7F];
        var mutation = Gen.Select(Gen.Int[0, 2], Gen.Int[0, 10_000], Gen.OneOf(Gen.OneOf(interesting), Gen.Byte));
        var gen = Gen.Select(Gen.OneOf(s_seeds), mutation.Array[1, 4]);
        gen.Sample((seed, mutations) =>
        {
            var bytes = Encoding.Latin1.GetBytes(seed).ToList();
            foreach (var (kind, at, value) in mutations)
            {
                var i = at % (bytes.Count + 1);
                if (kind == 0 && i < bytes.Count) bytes[i] = value;
                else if (kind == 1) bytes.Insert(i, value);
                else if (i < bytes.Count) bytes.RemoveAt(i);
            }

            // SplitEverywhere fails on any difference between shapes; any exception but a rejection escapes.
            var r = TestKit.SplitEverywhere.Run(bytes.ToArray(), () => new RequestRecorder());
            if (r.Rejection is { } rejection) Assert.Contains(rejection.StatusCode, new[] { 400, 413, 414, 431, 501, 505 });
        }, iter: 300, threads: 1);
    }

    private static readonly string[] s_seeds =
    [
        "GET /a?b=c HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n",
        "POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello",
        "PUT / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n0\r\nT: 1\r\n\r\n",
        "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /2 HTTP/1.1\r\nHost: b:80\r\n\r\n",
        "CONNECT a.b:443 HTTP/1.1\r\nHost: a.b:443\r\n\r\n",
    ];

    /// <summary>A Host line plus filler lines whose bytes, each with its CRLF, add up to exactly <paramref name="total"/>.</summary>
    internal static string HeadersOfTotalSize(int total)
    {
        var sb = new StringBuilder("Host: a\r\n");
        while (total - sb.Length > 1000) sb.Append("X-Fill: ").Append('f', 1000 - 10).Append("\r\n");
        var rest = total - sb.Length;
        Assert.True(rest >= 6, "room for a last line");
        sb.Append("X:").Append('g', rest - 4).Append("\r\n");
        Assert.Equal(total, sb.Length);
        return sb.ToString();
    }

    private static long Unconsumed(string request)
    {
        using var r = new RequestRecorder();
        var bytes = Encoding.Latin1.GetBytes(request);
        return bytes.Length - r.Feed(new ReadOnlySequence<byte>(bytes));
    }

    private static bool TryHead(Http1RequestParser parser, string input)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(input)));
        var handler = default(NoHandler);
        return parser.TryParseHead(ref reader, ref handler);
    }

    private static bool TryBody(Http1RequestParser parser)
    {
        var reader = new SequenceReader<byte>(ReadOnlySequence<byte>.Empty);
        var handler = default(NoHandler);
        return parser.TryParseBody(ref reader, ref handler);
    }

    private struct NoHandler : IHttp1RequestHandler
    {
        public readonly void OnRequestLine(Http1RequestLine line)
        {
        }

        public readonly void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
        {
        }

        public readonly void OnHeadersComplete(in Http1RequestHead head)
        {
        }

        public readonly void OnBody(ReadOnlySpan<byte> data)
        {
        }

        public readonly void OnTrailer(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
        {
        }
    }
}
