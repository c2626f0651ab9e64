namespace Epsilon.Actors.Http.Http1;

/// <summary>The answer of <see cref="Http1ServerStateMachine.CheckTimeouts"/>.</summary>
/// <param name="Action">What to do.</param>
/// <param name="Sequence">For <see cref="Http1TimeoutAction.RespondRequestTimeout"/>, the exchange whose turn carries the 408; otherwise -1.</param>
internal readonly record struct Http1TimeoutDecision(Http1TimeoutAction Action, long Sequence)
{
    /// <summary>Nothing expired.</summary>
    public static Http1TimeoutDecision None => new(Http1TimeoutAction.None, -1);
}
