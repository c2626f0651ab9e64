namespace Epsilon.Actors.Http.Server;

/// <summary>
/// An exception meaning the request itself was bad (a malformed or oversized body found while
/// the handler read it) and the connection answers it with <see cref="StatusCode"/> on its own.
/// A handler that fails with one is not at fault: <see cref="HttpHandlers.Guard"/> logs it at
/// debug, as all bad input is, and answers the same status. Protocol-neutral, so the guard needs
/// no protocol's types.
/// </summary>
internal interface IRequestRejection
{
    /// <summary>The status the connection answers with (400, 413 …).</summary>
    int StatusCode { get; }
}
