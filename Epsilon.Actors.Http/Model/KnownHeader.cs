namespace Epsilon.Actors.Http.Model;

/// <summary>
/// Well-known header names. Each <see cref="HttpHeader"/> carries its id, resolved once when the
/// header is created, so lookups of these names are integer compares rather than string compares.
/// <see cref="None"/> marks any other name.
/// </summary>
public enum KnownHeader : byte
{
    /// <summary>Not a well-known name; compared by case-insensitive string.</summary>
    None = 0,
    /// <summary>Accept.</summary>
    Accept,
    /// <summary>Accept-Encoding.</summary>
    AcceptEncoding,
    /// <summary>Accept-Ranges.</summary>
    AcceptRanges,
    /// <summary>Access-Control-Request-Headers.</summary>
    AccessControlRequestHeaders,
    /// <summary>Access-Control-Request-Method.</summary>
    AccessControlRequestMethod,
    /// <summary>Allow.</summary>
    Allow,
    /// <summary>Authorization.</summary>
    Authorization,
    /// <summary>Cache-Control.</summary>
    CacheControl,
    /// <summary>Connection.</summary>
    Connection,
    /// <summary>Content-Encoding.</summary>
    ContentEncoding,
    /// <summary>Content-Length.</summary>
    ContentLength,
    /// <summary>Content-Range.</summary>
    ContentRange,
    /// <summary>Content-Type.</summary>
    ContentType,
    /// <summary>Cookie.</summary>
    Cookie,
    /// <summary>Date.</summary>
    Date,
    /// <summary>ETag.</summary>
    ETag,
    /// <summary>Expect.</summary>
    Expect,
    /// <summary>Host.</summary>
    Host,
    /// <summary>If-Match.</summary>
    IfMatch,
    /// <summary>If-Modified-Since.</summary>
    IfModifiedSince,
    /// <summary>If-None-Match.</summary>
    IfNoneMatch,
    /// <summary>If-Range.</summary>
    IfRange,
    /// <summary>If-Unmodified-Since.</summary>
    IfUnmodifiedSince,
    /// <summary>Last-Modified.</summary>
    LastModified,
    /// <summary>Location.</summary>
    Location,
    /// <summary>Origin.</summary>
    Origin,
    /// <summary>Range.</summary>
    Range,
    /// <summary>Server.</summary>
    Server,
    /// <summary>Set-Cookie.</summary>
    SetCookie,
    /// <summary>TE.</summary>
    TE,
    /// <summary>Trailer.</summary>
    Trailer,
    /// <summary>Transfer-Encoding.</summary>
    TransferEncoding,
    /// <summary>Upgrade.</summary>
    Upgrade,
    /// <summary>User-Agent.</summary>
    UserAgent,
    /// <summary>Vary.</summary>
    Vary,
    /// <summary>X-Request-Id.</summary>
    XRequestId,
}
