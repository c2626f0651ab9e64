using System.Text;
using System.Text.Json;
using Akka;
using Akka.IO;
using Akka.Streams.Dsl;

namespace Epsilon.Actors.Http.Model;

/// <summary>
/// An immutable HTTP response: status, headers and entity. Content-Type and Content-Length come
/// from the entity and are rendered by the server, so <see cref="Headers"/> holds only the others.
/// Build with the factories (<see cref="Text(string)"/>, <see cref="Json(string)"/>,
/// <see cref="Bytes(ByteString, ContentType?)"/>, <see cref="Status"/>, <see cref="Stream"/>) and adjust with the
/// "With…" methods. A response can be cached in a static field and returned for every request:
/// the server never changes it, so a cached response costs no allocation. Thread-safe.
/// </summary>
public sealed class HttpResponse
{
    private static readonly HttpResponse?[] s_statusOnly = new HttpResponse?[600];
    private static readonly HttpResponse?[] s_reasonText = new HttpResponse?[600];

    /// <summary>A response; headers default to none and the entity to <see cref="HttpEntity.Empty"/>.</summary>
    public HttpResponse(StatusCode status, HttpHeaders? headers = null, HttpEntity? entity = null)
        : this(status, headers, entity, null, null)
    {
    }

    private HttpResponse(StatusCode status, HttpHeaders? headers, HttpEntity? entity, string? upgradeProtocol, Flow<ByteString, ByteString, NotUsed>? upgradeFlow)
    {
        if (status.Code == 0) throw new ArgumentException("default(StatusCode) is not a status.", nameof(status));
        StatusCode = status;
        Headers = headers ?? HttpHeaders.Empty;
        Entity = entity ?? HttpEntity.Empty;
        UpgradeProtocol = upgradeProtocol;
        UpgradeFlow = upgradeFlow;
    }

    /// <summary>The status code.</summary>
    public StatusCode StatusCode { get; }

    /// <summary>Header fields other than Content-Type and Content-Length, in order.</summary>
    public HttpHeaders Headers { get; }

    /// <summary>The content.</summary>
    public HttpEntity Entity { get; }

    /// <summary>The protocol an <see cref="Upgrade"/> response switches to (the <c>Upgrade</c> header it sends), else null.</summary>
    public string? UpgradeProtocol { get; }

    /// <summary>The flow that takes the connection's bytes after an <see cref="Upgrade"/> response, else null.</summary>
    public Flow<ByteString, ByteString, NotUsed>? UpgradeFlow { get; }

    /// <summary>
    /// 101 Switching Protocols to <paramref name="protocol"/> (RFC 9110 §7.8): the server writes
    /// <c>101</c> with <c>Connection: Upgrade</c>, <c>Upgrade: protocol</c> and
    /// <paramref name="headers"/> (for example <c>Sec-WebSocket-Accept</c>), then
    /// <paramref name="flow"/> gets every byte the client sends after the request (bytes that
    /// arrived with the request's head first) and what it emits is written to the client; the
    /// flow's completion closes the connection's sending side. The server refuses it (500, and a
    /// warning in the log) unless the request asked for that protocol: an <c>Upgrade</c> header
    /// listing it and <c>Connection: upgrade</c>, over HTTP/1.1, with its body completely read.
    /// The flow runs on the connection's own stream (fused with it): work that blocks or takes
    /// long belongs behind an asynchronous boundary. This is what WebSocket is built on.
    /// </summary>
    /// <param name="protocol">The protocol token, as the request's <c>Upgrade</c> header lists it (e.g. <c>websocket</c>).</param>
    /// <param name="flow">Bytes from the client in, bytes to the client out; materialized once, for this connection.</param>
    /// <param name="headers">Further header fields of the 101; <c>Connection</c> and <c>Upgrade</c> are the server's.</param>
    /// <exception cref="ArgumentException"><paramref name="protocol"/> is not a token (optionally with <c>/version</c>).</exception>
    public static HttpResponse Upgrade(string protocol, Flow<ByteString, ByteString, NotUsed> flow, HttpHeaders? headers = null)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(flow);
        var slash = protocol.IndexOf('/');
        var valid = slash < 0 ? HttpToken.IsToken(protocol) : HttpToken.IsToken(protocol.AsSpan(0, slash)) && HttpToken.IsToken(protocol.AsSpan(slash + 1));
        if (!valid) throw new ArgumentException($"'{protocol}' is not an upgrade protocol token (RFC 9110 §7.8: name or name/version)", nameof(protocol));
        return new HttpResponse(StatusCode.SwitchingProtocols, headers, null, protocol, flow);
    }

    /// <summary>200 with a UTF-8 <c>text/plain</c> body.</summary>
    public static HttpResponse Text(string text) => Text(StatusCode.OK, text);

    /// <summary>A UTF-8 <c>text/plain</c> body with the given status.</summary>
    public static HttpResponse Text(StatusCode status, string text) => new(status, null, HttpEntity.Text(text));

    /// <summary>200 with a UTF-8 <c>text/html</c> body.</summary>
    public static HttpResponse Html(string html) => new(StatusCode.OK, null, HttpEntity.Text(html, ContentType.TextHtmlUtf8));

    /// <summary>200 with an <c>application/json</c> body that is already serialized.</summary>
    public static HttpResponse Json(string json) => Json(StatusCode.OK, json);

    /// <summary>An <c>application/json</c> body that is already serialized, with the given status.</summary>
    public static HttpResponse Json(StatusCode status, string json) =>
        new(status, null, new HttpEntity.Strict(ContentType.ApplicationJson, ByteString.FromBytes(Encoding.UTF8.GetBytes(json))));

    /// <summary>200 with <paramref name="value"/> serialized by System.Text.Json (web defaults unless <paramref name="options"/> is given).</summary>
    public static HttpResponse Json<T>(T value, JsonSerializerOptions? options = null) =>
        new(StatusCode.OK, null, new HttpEntity.Strict(
            ContentType.ApplicationJson,
            ByteString.FromBytes(JsonSerializer.SerializeToUtf8Bytes(value, options ?? JsonSerializerOptions.Web))));

    /// <summary>200 with the bytes; the content type defaults to <c>application/octet-stream</c>.</summary>
    public static HttpResponse Bytes(ByteString data, ContentType? contentType = null) =>
        new(StatusCode.OK, null, new HttpEntity.Strict(contentType ?? ContentType.ApplicationOctetStream, data));

    /// <summary>200 with a copy of the bytes; the content type defaults to <c>application/octet-stream</c>.</summary>
    public static HttpResponse Bytes(ReadOnlySpan<byte> data, ContentType? contentType = null) =>
        Bytes(ByteString.CopyFrom(data.ToArray()), contentType);

    /// <summary>
    /// 200 with a streamed body pulled from <paramref name="source"/> as the client reads it;
    /// <paramref name="contentLength"/> null sends it chunked.
    /// </summary>
    public static HttpResponse Stream(Source<ByteString, NotUsed> source, ContentType? contentType = null, long? contentLength = null) =>
        new(StatusCode.OK, null, new HttpEntity.Streamed(contentType ?? ContentType.ApplicationOctetStream, contentLength, source));

    /// <summary>A response with no body; cached per code, so repeated calls return the same instance.</summary>
    public static HttpResponse Status(StatusCode status)
    {
        if (status.Code >= s_statusOnly.Length) return new HttpResponse(status);
        return s_statusOnly[status.Code] ??= new HttpResponse(status);
    }

    /// <summary>
    /// A response whose text body is the status line, e.g. "404 Not Found"; cached per code. The
    /// router and guards use it for the errors they produce.
    /// </summary>
    public static HttpResponse StatusText(StatusCode status)
    {
        if (status.Code >= s_reasonText.Length) return Text(status, status.ToString());
        return s_reasonText[status.Code] ??= Text(status, status.ToString());
    }

    /// <summary>A redirect to <paramref name="location"/> (302 Found unless another status is given).</summary>
    public static HttpResponse Redirect(string location, StatusCode? status = null) =>
        new(status ?? StatusCode.Found, HttpHeaders.Of(new HttpHeader(KnownHeader.Location, location)));

    /// <summary>A copy with another status.</summary>
    public HttpResponse WithStatus(StatusCode status) => new(status, Headers, Entity, UpgradeProtocol, UpgradeFlow);

    /// <summary>A copy with other headers.</summary>
    public HttpResponse WithHeaders(HttpHeaders headers) => new(StatusCode, headers, Entity, UpgradeProtocol, UpgradeFlow);

    /// <summary>A copy with the header appended (other fields of that name are kept).</summary>
    public HttpResponse AddHeader(string name, string value) => new(StatusCode, Headers.Add(name, value), Entity, UpgradeProtocol, UpgradeFlow);

    /// <summary>A copy in which the header replaces any field of its name.</summary>
    public HttpResponse SetHeader(string name, string value) => new(StatusCode, Headers.Set(name, value), Entity, UpgradeProtocol, UpgradeFlow);

    /// <summary>A copy with another entity.</summary>
    public HttpResponse WithEntity(HttpEntity entity) => new(StatusCode, Headers, entity, UpgradeProtocol, UpgradeFlow);

    /// <summary>"200 OK, Strict(text/plain; charset=utf-8, 13 bytes)".</summary>
    public override string ToString() => $"{StatusCode}, {Entity}";
}
