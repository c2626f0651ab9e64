namespace Epsilon.Actors.Http.Http1;

/// <summary>What an HTTP/1 server connection is doing as a whole, per <see cref="Http1ServerStateMachine.State"/> (the shell keeps no state of its own).</summary>
internal enum Http1ConnectionState : byte
{
    /// <summary>No exchange in progress: the next head is parsed from buffered bytes, more read when needed.</summary>
    ReadingHead,

    /// <summary>A request was dispatched; its response is awaited or being written.</summary>
    Exchange,

    /// <summary>The response is written; the rest of an unread request body is read and dropped.</summary>
    Draining,

    /// <summary>No further request: output is flushed, then completed, then input lingers.</summary>
    Closing,

    /// <summary>A 101 was written: the connection's bytes belong to another protocol's flow.</summary>
    Upgraded,
}
