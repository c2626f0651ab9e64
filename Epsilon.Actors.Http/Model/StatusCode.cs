namespace Epsilon.Actors.Http.Model;

/// <summary>
/// An HTTP status code with its reason phrase (RFC 9110 §15). A small value type: creating one
/// allocates nothing, and the reason phrase of a registered code is a cached string. Any code in
/// 100–999 is accepted; unregistered codes get a phrase from their class.
/// </summary>
public readonly struct StatusCode : IEquatable<StatusCode>
{
    /// <summary>100 Continue.</summary>
    public static StatusCode Continue => new(100);
    /// <summary>101 Switching Protocols.</summary>
    public static StatusCode SwitchingProtocols => new(101);
    /// <summary>200 OK.</summary>
    public static StatusCode OK => new(200);
    /// <summary>201 Created.</summary>
    public static StatusCode Created => new(201);
    /// <summary>202 Accepted.</summary>
    public static StatusCode Accepted => new(202);
    /// <summary>204 No Content.</summary>
    public static StatusCode NoContent => new(204);
    /// <summary>206 Partial Content.</summary>
    public static StatusCode PartialContent => new(206);
    /// <summary>301 Moved Permanently.</summary>
    public static StatusCode MovedPermanently => new(301);
    /// <summary>302 Found.</summary>
    public static StatusCode Found => new(302);
    /// <summary>304 Not Modified.</summary>
    public static StatusCode NotModified => new(304);
    /// <summary>308 Permanent Redirect.</summary>
    public static StatusCode PermanentRedirect => new(308);
    /// <summary>400 Bad Request.</summary>
    public static StatusCode BadRequest => new(400);
    /// <summary>401 Unauthorized.</summary>
    public static StatusCode Unauthorized => new(401);
    /// <summary>403 Forbidden.</summary>
    public static StatusCode Forbidden => new(403);
    /// <summary>404 Not Found.</summary>
    public static StatusCode NotFound => new(404);
    /// <summary>405 Method Not Allowed.</summary>
    public static StatusCode MethodNotAllowed => new(405);
    /// <summary>408 Request Timeout.</summary>
    public static StatusCode RequestTimeout => new(408);
    /// <summary>412 Precondition Failed.</summary>
    public static StatusCode PreconditionFailed => new(412);
    /// <summary>413 Content Too Large.</summary>
    public static StatusCode ContentTooLarge => new(413);
    /// <summary>416 Range Not Satisfiable.</summary>
    public static StatusCode RangeNotSatisfiable => new(416);
    /// <summary>500 Internal Server Error.</summary>
    public static StatusCode InternalServerError => new(500);
    /// <summary>501 Not Implemented.</summary>
    public static StatusCode NotImplemented => new(501);
    /// <summary>503 Service Unavailable.</summary>
    public static StatusCode ServiceUnavailable => new(503);

    /// <summary>Creates a status code; throws <see cref="ArgumentOutOfRangeException"/> outside 100–999.</summary>
    public StatusCode(int code)
    {
        if (code is < 100 or > 999) throw new ArgumentOutOfRangeException(nameof(code), code, "Status codes are three digits, 100–999.");
        Code = code;
    }

    /// <summary>The numeric code; 0 only for <c>default(StatusCode)</c>, which is not a valid status.</summary>
    public int Code { get; }

    /// <summary>The registered reason phrase (RFC 9110 §15), or the class's generic phrase.</summary>
    public string Reason => StatusReasons.For(Code);

    /// <summary>1xx.</summary>
    public bool IsInformational => Code is >= 100 and < 200;

    /// <summary>2xx.</summary>
    public bool IsSuccess => Code is >= 200 and < 300;

    /// <summary>4xx or 5xx.</summary>
    public bool IsFailure => Code >= 400;

    /// <summary>
    /// False for 1xx, 204 and 304, whose responses never carry content (RFC 9110 §6.4.1); renderers
    /// send no body and no Content-Length for 1xx and 204.
    /// </summary>
    public bool AllowsEntity => Code is >= 200 and not 204 and not 304;

    /// <summary>Any integer converts implicitly, so handlers can write <c>404</c>.</summary>
    public static implicit operator StatusCode(int code) => new(code);

    /// <inheritdoc />
    public bool Equals(StatusCode other) => Code == other.Code;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is StatusCode other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Code;

    /// <summary>"404 Not Found".</summary>
    public override string ToString() => $"{Code} {Reason}";

    /// <summary>Equal codes.</summary>
    public static bool operator ==(StatusCode left, StatusCode right) => left.Code == right.Code;

    /// <summary>Different codes.</summary>
    public static bool operator !=(StatusCode left, StatusCode right) => left.Code != right.Code;
}
