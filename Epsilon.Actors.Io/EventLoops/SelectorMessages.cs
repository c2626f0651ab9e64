using Akka.Actor;
using Akka.Event;

namespace Epsilon.Actors.Io.EventLoops;

/// <summary>
/// Readiness of a channel's socket, sent by its event loop to the channel actor. Only three
/// instances exist, so delivering readiness allocates nothing.
/// </summary>
internal sealed class ChannelReady : IDeadLetterSuppression
{
    /// <summary>The socket is readable (or acceptable).</summary>
    public static readonly ChannelReady Read = new(IoReadiness.Read);

    /// <summary>The socket is writable (or its connect finished).</summary>
    public static readonly ChannelReady Write = new(IoReadiness.Write);

    /// <summary>Both.</summary>
    public static readonly ChannelReady ReadWrite = new(IoReadiness.ReadWrite);

    private ChannelReady(IoReadiness readiness) => Readiness = readiness;

    /// <summary>The ready directions.</summary>
    public IoReadiness Readiness { get; }

    /// <summary>The instance for <paramref name="readiness"/>.</summary>
    public static ChannelReady For(IoReadiness readiness) => (readiness & IoReadiness.ReadWrite) switch
    {
        IoReadiness.Read => Read,
        IoReadiness.Write => Write,
        _ => ReadWrite,
    };

    /// <inheritdoc />
    public override string ToString() => $"ChannelReady({Readiness})";
}

/// <summary>Asks a selector to start a channel actor on its loop, as its child.</summary>
/// <param name="Factory">Makes the channel's props for the selector's loop.</param>
/// <param name="OnRefused">Run when the selector cannot take the channel (it is stopping); frees what the props hold.</param>
internal sealed record SpawnChannel(Func<EventLoop, string, Props> Factory, Action? OnRefused = null);

/// <summary>
/// Tells a channel actor of readiness by sending it a <see cref="ChannelReady"/> instance.
/// </summary>
internal sealed class ActorReadinessListener(IActorRef channel) : IReadinessListener
{
    /// <inheritdoc />
    public void OnReady(IoReadiness readiness) => channel.Tell(ChannelReady.For(readiness), ActorRefs.NoSender);
}
