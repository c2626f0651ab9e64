using Akka.Actor;

namespace Epsilon.Actors.Io.Streams;

/// <summary>
/// The Akka extension id of Akka.Streams TCP on Epsilon's event loops. Most code needs only
/// <see cref="EpsilonTcpStreamExtensions.EpsilonTcpStream"/>.
/// </summary>
public sealed class EpsilonTcpStream : ExtensionIdProvider<EpsilonTcpStreamExt>
{
    /// <summary>Creates the extension for <paramref name="system"/> (called by Akka once per system).</summary>
    public override EpsilonTcpStreamExt CreateExtension(ExtendedActorSystem system) => new(system);

    /// <summary>The extension of <paramref name="system"/>, started (with Epsilon's event loops) on first use.</summary>
    public static EpsilonTcpStreamExt For(ActorSystem system) => system.WithExtension<EpsilonTcpStreamExt, EpsilonTcpStream>();
}
