namespace Epsilon.Actors.Http.Http1;

/// <summary>
/// The answer of <see cref="Http1ServerStateMachine.OnRequestHead"/>: the request's sequence
/// number (responses are written strictly in this order), what to do with it, and whether the
/// shell must stop reading the connection for now (pipelining limit, pending upgrade decision,
/// or no further request allowed).
/// </summary>
/// <param name="Sequence">The exchange's number, 0 for the first request of the connection.</param>
/// <param name="Action">Dispatch, or answer 417.</param>
/// <param name="PauseReading">Stop pulling bytes after this request's body until <see cref="Http1ServerStateMachine.CanReadNextRequest"/> turns true.</param>
internal readonly record struct Http1RequestDecision(long Sequence, Http1RequestAction Action, bool PauseReading);
