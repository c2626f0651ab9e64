namespace Epsilon.Actors.Io.EventLoops;

/// <summary>
/// Receives readiness for one registered socket. Called on the loop thread, or on the thread that
/// armed interest when the readiness had already been seen; it must only hand the signal on (an
/// actor <c>Tell</c>), never do I/O or block.
/// </summary>
internal interface IReadinessListener
{
    /// <summary>The armed directions in <paramref name="readiness"/> became ready.</summary>
    void OnReady(IoReadiness readiness);
}
