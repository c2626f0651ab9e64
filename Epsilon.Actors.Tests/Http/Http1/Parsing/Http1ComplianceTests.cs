using Epsilon.Actors.Http.Http1.Parsing;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Http1.Parsing;

/// <summary>
/// The MUST checks of <see cref="Http1Compliance"/>, driven through the request parser (every
/// input whole, byte by byte and split everywhere): request smuggling vectors, invalid fields,
/// line terminators, Host, and the framing decision of RFC 9112 §6.3.
/// </summary>
[Trait("Category", "Unit")]
public sealed class Http1ComplianceTests
{
    private const string Post = "POST / HTTP/1.1\r\nHost: a\r\n";

    private static RequestRecorder Parse(string request) => RequestRecorder.Parse(request);

    private static void AssertRejected(string request, int status, Http1RejectionReason reason)
    {
        var r = Parse(request);
        Assert.True(r.Rejection is not null, $"not rejected: {r.Transcript}");
        Assert.Equal(reason, r.Rejection!.Reason);
        Assert.Equal(status, r.RejectedWith);
    }

    // ---- RFC 9112 §6.1 / §6.3: Content-Length and Transfer-Encoding ----

    [Theory]
    [InlineData("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n")]
    [InlineData("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n")]
    [InlineData("Transfer-Encoding: chunked\r\nContent-Length: 0\r\n")]
    public void Rejects_Content_Length_with_Transfer_Encoding_with_400(string fields) =>
        AssertRejected(Post + fields + "\r\n0\r\n\r\n", 400, Http1RejectionReason.ContentLengthWithTransferEncoding);

    [Theory]
    [InlineData("Content-Length: 5\r\nContent-Length: 6\r\n")]
    [InlineData("Content-Length: 5, 6\r\n")]
    [InlineData("Content-Length: 5,5,6\r\n")]
    public void Rejects_differing_Content_Lengths_with_400(string fields) =>
        AssertRejected(Post + fields + "\r\nhello!", 400, Http1RejectionReason.ConflictingContentLength);

    [Theory]
    [InlineData("Content-Length: 5\r\nContent-Length: 5\r\n")]
    [InlineData("Content-Length: 5, 5\r\n")]
    [InlineData("Content-Length: 5,5\r\nContent-Length: 5\r\n")]
    public void Accepts_repeated_identical_Content_Lengths_as_one_value(string fields)
    {
        var r = Parse(Post + fields + "\r\nhello");
        Assert.Null(r.RejectedWith);
        Assert.Equal("hello", r.Requests[0].BodyText);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData("0x5")]
    [InlineData("5 5")]
    [InlineData("5;")]
    [InlineData("1e3")]
    [InlineData("")]
    [InlineData("5,")]
    [InlineData(",5")]
    [InlineData("1234567890123456789")]
    [InlineData("99999999999999999999999")]
    [InlineData("\u0665")]
    public void Rejects_an_invalid_Content_Length_with_400(string value) =>
        AssertRejected(Post + $"Content-Length: {value}\r\n\r\n", 400, Http1RejectionReason.InvalidContentLength);

    [Theory]
    [InlineData("gzip")]
    [InlineData("chunked, gzip")]
    [InlineData("identity")]
    [InlineData("xchunked")]
    [InlineData("chunked;")]
    [InlineData("chunked;q=1")]
    [InlineData("")]
    [InlineData("chunked,")]
    [InlineData("\"chunked\"")]
    [InlineData("chunked x")]
    public void Rejects_a_Transfer_Encoding_whose_final_coding_is_not_chunked_with_400(string value) =>
        AssertRejected(Post + $"Transfer-Encoding: {value}\r\n\r\n0\r\n\r\n", 400, Http1RejectionReason.InvalidTransferEncoding);

    [Fact]
    public void Rejects_a_final_non_chunked_coding_in_a_second_field_with_400() =>
        AssertRejected(Post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n0\r\n\r\n", 400, Http1RejectionReason.InvalidTransferEncoding);

    [Theory]
    [InlineData("Transfer-Encoding: chunked, chunked\r\n")]
    [InlineData("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n")]
    public void Rejects_chunked_applied_twice_with_400(string fields) =>
        AssertRejected(Post + fields + "\r\n0\r\n\r\n", 400, Http1RejectionReason.InvalidTransferEncoding);

    [Theory]
    [InlineData("gzip, chunked")]
    [InlineData("deflate,chunked")]
    [InlineData("x-custom;p=1, chunked")]
    public void Answers_an_unknown_transfer_coding_before_chunked_with_501(string value) =>
        AssertRejected(Post + $"Transfer-Encoding: {value}\r\n\r\n0\r\n\r\n", 501, Http1RejectionReason.UnsupportedTransferCoding);

    [Theory]
    [InlineData("chunked")]
    [InlineData("Chunked")]
    [InlineData("CHUNKED")]
    [InlineData(" chunked ")]
    public void Accepts_chunked_case_insensitively(string value)
    {
        var r = Parse(Post + $"Transfer-Encoding:{value}\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
        Assert.Null(r.RejectedWith);
        Assert.Equal("abc", r.Requests[0].BodyText);
    }

    [Fact]
    public void Rejects_Transfer_Encoding_in_HTTP_1_0_with_400() =>
        AssertRejected("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, Http1RejectionReason.TransferEncodingInHttp10);

    // ---- RFC 9112 §7.1: chunked framing ----

    [Theory]
    [InlineData("g")]
    [InlineData("-1")]
    [InlineData(" 5")]
    [InlineData("0x5")]
    [InlineData("5 5")]
    [InlineData("5 x")]
    [InlineData("")]
    [InlineData(";ext")]
    [InlineData("+5")]
    public void Rejects_an_invalid_chunk_size_with_400(string size) =>
        AssertRejected(Post + $"Transfer-Encoding: chunked\r\n\r\n{size}\r\nhello\r\n0\r\n\r\n", 400, Http1RejectionReason.InvalidChunkSize);

    // §7.1: chunk-size = 1*HEXDIG. Whitespace after it is BWS of §7.1.1's chunk-ext, so it is
    // allowed only when a ";" follows; these all ran the handler with a 200 before (issue 10).
    [Theory]
    [InlineData("5 ")]
    [InlineData("5\t")]
    [InlineData("5  \t ")]
    public void Rejects_whitespace_after_a_chunk_size_with_400_at_every_split(string size) =>
        AssertRejected(Post + $"Transfer-Encoding: chunked\r\n\r\n{size}\r\nhello\r\n0\r\n\r\n", 400, Http1RejectionReason.InvalidChunkSize);

    [Fact]
    public void Rejects_whitespace_after_the_last_chunk_size_with_400_at_every_split() =>
        AssertRejected(Post + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0 \r\n\r\n", 400, Http1RejectionReason.InvalidChunkSize);

    [Theory]
    [InlineData("5;a=b ")]
    [InlineData("5;a=b\t")]
    [InlineData("5;a ")]
    [InlineData("5;a=\"x\" ")]
    [InlineData("5;a=b ;")]
    [InlineData("5;")]
    [InlineData("5;;a")]
    [InlineData("5;a=")]
    [InlineData("5;a=b c")]
    [InlineData("5;a=\"unclosed")]
    [InlineData("5;a@b")]
    public void Rejects_chunk_extensions_off_the_grammar_with_400_at_every_split(string line) =>
        AssertRejected(Post + $"Transfer-Encoding: chunked\r\n\r\n{line}\r\nhello\r\n0\r\n\r\n", 400, Http1RejectionReason.InvalidChunkExtension);

    [Theory]
    [InlineData("5 ;a=b")]
    [InlineData("5\t;a=b")]
    [InlineData("5; a = b")]
    [InlineData("5;a;b=c ;d")]
    [InlineData("5;a=\"x y \\\" z\";b")]
    [InlineData("5;a=\"\"")]
    public void Accepts_BWS_before_and_inside_chunk_extensions(string line)
    {
        var r = Parse(Post + $"Transfer-Encoding: chunked\r\n\r\n{line}\r\nhello\r\n0\r\n\r\n");
        Assert.Null(r.Rejection);
        Assert.Equal("hello", r.Requests[0].BodyText);
    }

    [Theory]
    [InlineData("10000000000000000")]
    [InlineData("ffffffffffffffffff")]
    [InlineData("8000000000000000")]
    public void Rejects_a_chunk_size_that_overflows_with_400(string size) =>
        AssertRejected(Post + $"Transfer-Encoding: chunked\r\n\r\n{size}\r\n", 400, Http1RejectionReason.ChunkSizeOverflow);

    [Fact]
    public void A_chunk_size_that_fits_but_passes_the_body_limit_is_413() =>
        AssertRejected(Post + "Transfer-Encoding: chunked\r\n\r\n7fffffffffffffff\r\n", 413, Http1RejectionReason.BodyTooLarge);

    [Fact]
    public void Accepts_leading_zeros_in_a_chunk_size()
    {
        var r = Parse(Post + "Transfer-Encoding: chunked\r\n\r\n0000000000000000000000005\r\nhello\r\n0\r\n\r\n");
        Assert.Equal("hello", r.Requests[0].BodyText);
    }

    [Theory]
    [InlineData("5\r\nhelloX\r\n0\r\n\r\n")]
    [InlineData("5\r\nhello\n0\r\n\r\n")]
    [InlineData("5\r\nhello\rX0\r\n\r\n")]
    [InlineData("5\r\nhello0\r\n\r\n")]
    public void Rejects_chunk_data_not_followed_by_CRLF_with_400(string body) =>
        AssertRejected(Post + "Transfer-Encoding: chunked\r\n\r\n" + body, 400, Http1RejectionReason.InvalidChunkTerminator);

    [Theory]
    [InlineData("5;a=\u0001\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5;a\rb\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5;a=\u0000\r\nhello\r\n0\r\n\r\n")]
    public void Rejects_chunk_extensions_with_control_characters_with_400(string body) =>
        AssertRejected(Post + "Transfer-Encoding: chunked\r\n\r\n" + body, 400, Http1RejectionReason.InvalidChunkExtension);

    [Fact]
    public void Rejects_a_chunk_size_line_ending_in_a_bare_LF_with_400() =>
        AssertRejected(Post + "Transfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n", 400, Http1RejectionReason.InvalidLineTerminator);

    [Fact]
    public void Rejects_an_obs_folded_trailer_with_400() =>
        AssertRejected(Post + "Transfer-Encoding: chunked\r\n\r\n0\r\nX: a\r\n b\r\n\r\n", 400, Http1RejectionReason.ObsoleteLineFolding);

    // ---- RFC 9112 §5 and RFC 9110 §5.5: field lines ----

    [Fact]
    public void Rejects_obs_fold_with_400() =>
        AssertRejected("GET / HTTP/1.1\r\nHost: a\r\nX-A: one\r\n two\r\n\r\n", 400, Http1RejectionReason.ObsoleteLineFolding);

    [Theory]
    [InlineData(" Host: a")]
    [InlineData("\tHost: a")]
    public void Rejects_whitespace_between_the_request_line_and_the_first_field_with_400(string line) =>
        AssertRejected($"GET / HTTP/1.1\r\n{line}\r\n\r\n", 400, Http1RejectionReason.ObsoleteLineFolding);

    [Theory]
    [InlineData("Host : a")]
    [InlineData("Host\t: a")]
    [InlineData("Content-Length : 5")]
    [InlineData("Transfer-Encoding  : chunked")]
    public void Rejects_whitespace_before_the_colon_with_400(string line) =>
        AssertRejected($"POST / HTTP/1.1\r\n{line}\r\n\r\n", 400, Http1RejectionReason.WhitespaceBeforeColon);

    [Theory]
    [InlineData("Ho(st: a")]
    [InlineData("X@Y: 1")]
    [InlineData("X\"Y: 1")]
    [InlineData(": value")]
    [InlineData("NoColon")]
    [InlineData("X/Y: 1")]
    [InlineData("X\u00e9: 1")]
    [InlineData("X\u0000: 1")]
    public void Rejects_a_field_name_that_is_not_a_token_with_400(string line) =>
        AssertRejected($"GET / HTTP/1.1\r\nHost: a\r\n{line}\r\n\r\n", 400, Http1RejectionReason.InvalidHeaderName);

    [Theory]
    [InlineData("X: a\u0000b")]
    [InlineData("X: a\rb")]
    [InlineData("X: a\u0001b")]
    [InlineData("X: a\u007fb")]
    [InlineData("X: a\u001bb")]
    public void Rejects_control_characters_in_a_field_value_with_400(string line) =>
        AssertRejected($"GET / HTTP/1.1\r\nHost: a\r\n{line}\r\n\r\n", 400, Http1RejectionReason.InvalidHeaderValue);

    [Theory]
    [InlineData("GET / HTTP/1.1\nHost: a\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n\rX")]
    [InlineData("\r\rGET / HTTP/1.1\r\nHost: a\r\n\r\n")]
    [InlineData("\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")]
    public void Rejects_bare_LF_and_bare_CR_line_terminators_with_400(string request)
    {
        var r = Parse(request);
        Assert.Equal(400, r.RejectedWith);
        Assert.Equal(Http1RejectionReason.InvalidLineTerminator, r.Rejection!.Reason);
    }

    // ---- RFC 9112 §3.2: Host ----

    [Fact]
    public void Rejects_an_HTTP_1_1_request_without_Host_with_400() =>
        AssertRejected("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", 400, Http1RejectionReason.InvalidHost);

    [Fact]
    public void Rejects_two_Host_fields_with_400()
    {
        AssertRejected("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n", 400, Http1RejectionReason.InvalidHost);
        AssertRejected("GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n", 400, Http1RejectionReason.InvalidHost);
    }

    [Theory]
    [InlineData("a b")]
    [InlineData("a/b")]
    [InlineData("user@a")]
    [InlineData("a\"b")]
    [InlineData("a?b")]
    public void Rejects_an_invalid_Host_value_with_400(string host) =>
        AssertRejected($"GET / HTTP/1.1\r\nHost: {host}\r\n\r\n", 400, Http1RejectionReason.InvalidHost);

    [Theory]
    [InlineData("")]
    [InlineData("example.com")]
    [InlineData("example.com:8080")]
    [InlineData("[::1]:8080")]
    [InlineData("127.0.0.1")]
    [InlineData("xn--bcher-kva.example")]
    public void Accepts_valid_Host_values_including_empty(string host) =>
        Assert.Null(Parse($"GET / HTTP/1.1\r\nHost: {host}\r\n\r\n").RejectedWith);

    // ---- RFC 9112 §6.3 item 7 ----

    [Fact]
    public void A_request_without_Content_Length_or_Transfer_Encoding_has_no_body_and_the_next_bytes_are_a_new_request()
    {
        var r = Parse("POST / HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal(2, r.Requests.Count);
        Assert.Equal("", r.Requests[0].BodyText);
        Assert.Equal("/2", r.Requests[1].Target);
    }

    [Fact]
    public void Every_reason_maps_to_its_documented_status()
    {
        foreach (var reason in Enum.GetValues<Http1RejectionReason>())
        {
            var expected = reason switch
            {
                Http1RejectionReason.RequestLineTooLong => 414,
                Http1RejectionReason.HeadersTooLarge or Http1RejectionReason.TooManyHeaders or Http1RejectionReason.TrailersTooLarge => 431,
                Http1RejectionReason.BodyTooLarge => 413,
                Http1RejectionReason.UnsupportedTransferCoding => 501,
                Http1RejectionReason.UnsupportedHttpVersion => 505,
                Http1RejectionReason.InvalidStatusLine => 502,
                _ => 400,
            };
            Assert.Equal(expected, new Http1Rejection(reason).StatusCode);
        }
    }
}
