namespace Epsilon.Actors.Http.Server.Middleware;

/// <summary>
/// Who may call the server cross-origin (Fetch standard, "CORS protocol"). Immutable; change with
/// <c>with</c>. An origin is compared case-insensitively with each entry of
/// <see cref="AllowedOrigins"/>; the entry <c>*</c> allows any origin.
/// </summary>
public sealed record CorsPolicy
{
    /// <summary>Allowed origins such as <c>https://app.example</c>, or <c>*</c>. Defaults to none (every cross-origin request refused).</summary>
    public IReadOnlyList<string> AllowedOrigins { get; init; } = [];

    /// <summary>Methods a preflight may ask for. Defaults to GET, HEAD, POST.</summary>
    public IReadOnlyList<string> AllowedMethods { get; init; } = ["GET", "HEAD", "POST"];

    /// <summary>
    /// Request headers a preflight may ask for (case-insensitive), or <c>*</c> for any. Defaults to
    /// Content-Type, Authorization, X-Request-Id.
    /// </summary>
    public IReadOnlyList<string> AllowedHeaders { get; init; } = ["Content-Type", "Authorization", "X-Request-Id"];

    /// <summary>Response headers scripts may read (Access-Control-Expose-Headers). Defaults to none.</summary>
    public IReadOnlyList<string> ExposedHeaders { get; init; } = [];

    /// <summary>
    /// Whether credentials (cookies, Authorization) are allowed. Then the origin is echoed rather than
    /// <c>*</c>, as the Fetch standard requires. Defaults to false.
    /// </summary>
    public bool AllowCredentials { get; init; }

    /// <summary>How long a browser may cache a preflight answer (Access-Control-Max-Age), or null to omit. Defaults to 10 minutes.</summary>
    public TimeSpan? MaxAge { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>A policy allowing any origin, without credentials.</summary>
    public static CorsPolicy AllowAnyOrigin { get; } = new() { AllowedOrigins = ["*"] };

    internal bool AnyOrigin => AllowedOrigins.Contains("*");

    internal bool AnyHeader => AllowedHeaders.Contains("*");
}
