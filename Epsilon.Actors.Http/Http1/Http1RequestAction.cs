namespace Epsilon.Actors.Http.Http1;

/// <summary>What the shell does with a request whose head is complete.</summary>
internal enum Http1RequestAction : byte
{
    /// <summary>Hand the request to the application.</summary>
    Dispatch,

    /// <summary>Do not dispatch: answer 417 Expectation Failed in its turn (RFC 9110 §10.1.1).</summary>
    RespondExpectationFailed,
}
