using Akka.Actor;

namespace Epsilon.Actors.Io.EventLoops;

/// <summary>
/// Creates an actor by calling a delegate: no expression tree to evaluate and no reflection, which
/// matters when an actor is created for every accepted connection.
/// </summary>
internal sealed class DirectProducer<TActor>(Func<TActor> create) : IIndirectActorProducer
    where TActor : ActorBase
{
    /// <inheritdoc />
    public Type ActorType => typeof(TActor);

    /// <summary>Props whose actors come from <paramref name="create"/>.</summary>
    public static Props Props(Func<TActor> create) => Akka.Actor.Props.CreateBy(new DirectProducer<TActor>(create));

    /// <inheritdoc />
    public ActorBase Produce() => create();

    /// <inheritdoc />
    public void Release(ActorBase actor)
    {
    }
}
