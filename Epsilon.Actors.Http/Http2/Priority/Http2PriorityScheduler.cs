namespace Epsilon.Actors.Http.Http2.Priority;

/// <summary>
/// Chooses which ready stream sends the next DATA frame (RFC 9218 §10): the lowest urgency first;
/// within one urgency, non-incremental streams one after another in the order they were opened
/// (lowest stream id first, each to its end), then incremental streams round-robin, one frame each.
/// A stream is "ready" while it has bytes to send and flow-control credit; the connection marks it
/// so and removes it when either runs out. Pure: no I/O, no clock.
/// </summary>
internal sealed class Http2PriorityScheduler
{
    private readonly Bucket[] _buckets = [.. Enumerable.Range(0, 8).Select(_ => new Bucket())];
    private readonly Dictionary<int, Http2StreamPriority> _ready = [];

    /// <summary>How many streams are ready.</summary>
    public int Count => _ready.Count;

    /// <summary>Marks <paramref name="streamId"/> ready with <paramref name="priority"/> (or moves it to a new priority).</summary>
    public void SetReady(int streamId, Http2StreamPriority priority)
    {
        if (_ready.TryGetValue(streamId, out var current))
        {
            if (current == priority) return;
            _buckets[current.Urgency].Remove(streamId, current.Incremental);
        }

        _ready[streamId] = priority;
        _buckets[priority.Urgency].Add(streamId, priority.Incremental);
    }

    /// <summary>A PRIORITY_UPDATE or new header for a stream: moved if ready, otherwise nothing to do.</summary>
    public void Reprioritize(int streamId, Http2StreamPriority priority)
    {
        if (_ready.ContainsKey(streamId)) SetReady(streamId, priority);
    }

    /// <summary>The stream is no longer ready (no bytes, no credit, or closed).</summary>
    public void Remove(int streamId)
    {
        if (!_ready.Remove(streamId, out var current)) return;
        _buckets[current.Urgency].Remove(streamId, current.Incremental);
    }

    /// <summary>The stream to send the next frame from; an incremental one moves to the back of its round.</summary>
    public bool TryNext(out int streamId)
    {
        foreach (var bucket in _buckets)
        {
            if (bucket.TryNext(out streamId)) return true;
        }

        streamId = 0;
        return false;
    }

    private sealed class Bucket
    {
        private readonly SortedSet<int> _sequential = [];
        private readonly LinkedList<int> _round = [];
        private readonly Dictionary<int, LinkedListNode<int>> _nodes = [];

        public void Add(int streamId, bool incremental)
        {
            if (!incremental)
            {
                _sequential.Add(streamId);
                return;
            }

            _nodes[streamId] = _round.AddLast(streamId);
        }

        public void Remove(int streamId, bool incremental)
        {
            if (!incremental)
            {
                _sequential.Remove(streamId);
                return;
            }

            if (_nodes.Remove(streamId, out var node)) _round.Remove(node);
        }

        public bool TryNext(out int streamId)
        {
            if (_sequential.Count > 0)
            {
                streamId = _sequential.Min;
                return true;
            }

            if (_round.First is { } first)
            {
                streamId = first.Value;
                _round.RemoveFirst();
                _round.AddLast(first);
                return true;
            }

            streamId = 0;
            return false;
        }
    }
}
