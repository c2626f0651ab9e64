using Akka.Actor;

namespace Epsilon.Actors.Http;

/// <summary>Entry points on <see cref="ActorSystem"/>.</summary>
public static class EpsilonHttpExtensions
{
    /// <summary>
    /// Epsilon's HTTP extension of <paramref name="system"/>, the counterpart of Akka HTTP's
    /// <c>Http()</c>: <c>system.Http().NewServerAt(host, port).Bind(handler)</c>. Thread-safe.
    /// </summary>
    public static EpsilonHttpExt Http(this ActorSystem system) => EpsilonHttp.For(system);
}
