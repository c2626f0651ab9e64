namespace Epsilon.Actors.Http.Server.Static;

/// <summary>What <see cref="ConditionalRequest.Evaluate"/> decided.</summary>
internal enum ConditionalOutcome
{
    /// <summary>Serve the request normally.</summary>
    Proceed,
    /// <summary>Answer 304 Not Modified with the validators and no body.</summary>
    NotModified,
    /// <summary>Answer 412 Precondition Failed.</summary>
    PreconditionFailed,
}
