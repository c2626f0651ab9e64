namespace Epsilon.Actors.Http.Server;

/// <summary>
/// What one server connection calls for each request: the handler, whether a failure of it
/// fails the connection (a bound flow) or was already turned into a response (a guarded
/// function or actor), and what to do when the connection ends. Created once per connection by
/// the factory the builder passes to <see cref="ServerBlueprint"/>.
/// </summary>
/// <param name="Handler">Called for each request, one at a time, in order.</param>
/// <param name="FailureFailsConnection">True for a bound flow: a faulted task aborts the connection (Akka HTTP's rule for flows). False: the handler is guarded, so it never faults.</param>
/// <param name="OnConnectionClosed">Called once when the connection's stage stops (releases a per-connection materialization); may be null.</param>
internal sealed record ServerHandler(HttpHandler Handler, bool FailureFailsConnection, Action? OnConnectionClosed);
