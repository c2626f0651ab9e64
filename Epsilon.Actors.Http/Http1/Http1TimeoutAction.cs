namespace Epsilon.Actors.Http.Http1;

/// <summary>What a timeout check asks the shell to do.</summary>
internal enum Http1TimeoutAction : byte
{
    /// <summary>Nothing has expired.</summary>
    None,

    /// <summary>The keep-alive timeout expired on an idle connection: close without a response.</summary>
    CloseIdle,

    /// <summary>Request headers too slow, or request body below the minimum rate before the response started: answer 408 in its turn, then close.</summary>
    RespondRequestTimeout,

    /// <summary>Request body below the minimum rate after the response started: abort the connection.</summary>
    Abort,
}
