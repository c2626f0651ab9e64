namespace Epsilon.Actors.Http.Http1;

/// <summary>What the shell does once a response has been written completely.</summary>
internal enum Http1ResponseOutcome : byte
{
    /// <summary>Keep the connection: write the next pending response, or read the next request.</summary>
    Continue,

    /// <summary>
    /// The request body was not fully read by the application: read and discard the rest (with
    /// the usual limits and data rate), call <see cref="Http1ServerStateMachine.OnRequestBodyComplete"/>, then continue.
    /// </summary>
    DrainRequestBody,

    /// <summary>Close the connection (after flushing).</summary>
    Close,

    /// <summary>A 101 response was written: the bytes that follow belong to the new protocol.</summary>
    SwitchProtocols,
}
