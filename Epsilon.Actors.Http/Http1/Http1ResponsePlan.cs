using Epsilon.Actors.Http.Http1.Parsing;

namespace Epsilon.Actors.Http.Http1;

/// <summary>
/// How to render one response, decided by <see cref="Http1ServerStateMachine.OnResponseStart"/>
/// and written by <see cref="Rendering.Http1ResponseWriter.WriteResponseHead"/>.
/// </summary>
/// <param name="StatusCode">The status code (100–599).</param>
/// <param name="Framing">Content-Length, chunked, close-delimited (HTTP/1.0 client, unknown length) or none (1xx, 204, 304).</param>
/// <param name="ContentLength">The Content-Length to write when <paramref name="Framing"/> is ContentLength (also for HEAD), else -1.</param>
/// <param name="SendBody">False for HEAD, 1xx, 204 and 304: the shell writes no body bytes even if the application gave some.</param>
/// <param name="ConnectionHeader">The Connection header to add.</param>
/// <param name="CloseAfter">Whether the connection closes once this response is written.</param>
internal readonly record struct Http1ResponsePlan(
    int StatusCode,
    Http1BodyFraming Framing,
    long ContentLength,
    bool SendBody,
    Http1ConnectionHeader ConnectionHeader,
    bool CloseAfter);
