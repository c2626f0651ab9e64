using Akka.Actor;

namespace Epsilon.Actors.Http;

/// <summary>
/// The Akka extension id of Epsilon's HTTP server. Most code needs only
/// <see cref="EpsilonHttpExtensions.Http"/>: <c>system.Http().NewServerAt("0.0.0.0", 8080).Bind(handler)</c>.
/// </summary>
public sealed class EpsilonHttp : ExtensionIdProvider<EpsilonHttpExt>
{
    /// <summary>Creates the extension for <paramref name="system"/> (called by Akka once per system).</summary>
    public override EpsilonHttpExt CreateExtension(ExtendedActorSystem system) => new(system);

    /// <summary>The extension of <paramref name="system"/>, started (with Epsilon's event loops) on first use.</summary>
    public static EpsilonHttpExt For(ActorSystem system) => system.WithExtension<EpsilonHttpExt, EpsilonHttp>();
}
