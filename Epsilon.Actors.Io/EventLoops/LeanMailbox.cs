using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace Epsilon.Actors.Io.EventLoops;

/// <summary>
/// The mailbox of Epsilon's listener and connection actors (<c>epsilon.io.channel-mailbox</c>):
/// unbounded, but holding no message slots while empty, so ten thousand idle connections do not
/// keep ten thousand preallocated queue segments. Users do not need to name it.
/// </summary>
public sealed class LeanMailbox : MailboxType
{
    /// <summary>Called by Akka with the mailbox's configuration section.</summary>
    public LeanMailbox(Akka.Actor.Settings settings, Config config)
        : base(settings, config)
    {
    }

    /// <inheritdoc />
    public override IMessageQueue Create(IActorRef owner, ActorSystem system) => new LeanMessageQueue();
}

/// <summary>
/// A lock-guarded ring of envelopes that starts empty, doubles when full and gives its array back
/// once drained after a burst. Channel actors dequeue on one thread and are written to mostly by
/// one handler, so the lock is uncontended and as cheap as a lock-free queue's atomics. Arrays
/// beyond the first small one are rented from the shared pool and returned on drain, so bursts
/// allocate nothing in steady state and an idle queue keeps at most <see cref="SmallCapacity"/> slots.
/// </summary>
internal sealed class LeanMessageQueue : IMessageQueue, IUnboundedMessageQueueSemantics
{
    private const int SmallCapacity = 4;

    private Envelope[] _items = Array.Empty<Envelope>();
    private int _head;
    private int _count;

    /// <inheritdoc />
    public bool HasMessages => Volatile.Read(ref _count) > 0;

    /// <inheritdoc />
    public int Count => Volatile.Read(ref _count);

    /// <inheritdoc />
    public void Enqueue(IActorRef receiver, Envelope envelope)
    {
        // Locking on this private, never-exposed instance saves a separate lock object per actor.
        lock (this)
        {
            if (_count == _items.Length) Grow();
            _items[(_head + _count) & (_items.Length - 1)] = envelope;
            Volatile.Write(ref _count, _count + 1);
        }
    }

    /// <inheritdoc />
    public bool TryDequeue(out Envelope envelope)
    {
        lock (this)
        {
            if (_count == 0)
            {
                envelope = default;
                return false;
            }

            envelope = _items[_head];
            _items[_head] = default;
            _head = (_head + 1) & (_items.Length - 1);
            Volatile.Write(ref _count, _count - 1);
            if (_count == 0)
            {
                _head = 0;
                if (_items.Length > SmallCapacity)
                {
                    // Every slot was cleared on dequeue, so the array goes back without clearing.
                    System.Buffers.ArrayPool<Envelope>.Shared.Return(_items);
                    _items = Array.Empty<Envelope>();
                }
            }

            return true;
        }
    }

    /// <inheritdoc />
    public void CleanUp(IActorRef owner, IMessageQueue deadletters)
    {
        while (TryDequeue(out var envelope)) deadletters.Enqueue(owner, envelope);
    }

    private void Grow()
    {
        // The shared pool hands out power-of-two lengths (16 and up), which the ring's mask needs.
        var grown = _items.Length < SmallCapacity
            ? new Envelope[SmallCapacity]
            : System.Buffers.ArrayPool<Envelope>.Shared.Rent(_items.Length * 2);
        for (var i = 0; i < _count; i++)
        {
            var index = (_head + i) & (_items.Length - 1);
            grown[i] = _items[index];
            _items[index] = default;
        }

        if (_items.Length > SmallCapacity) System.Buffers.ArrayPool<Envelope>.Shared.Return(_items);
        _items = grown;
        _head = 0;
    }
}
