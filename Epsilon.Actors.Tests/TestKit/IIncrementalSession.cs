using System.Buffers;

namespace Epsilon.Actors.Tests.TestKit;

/// <summary>One incremental parse run, fed by <see cref="SplitEverywhere"/>: a fresh parser plus what it reported.</summary>
public interface IIncrementalSession
{
    /// <summary>Whether the parser threw; nothing more is fed after that.</summary>
    bool Failed { get; }

    /// <summary>Everything reported so far, normalised (body bytes joined), for comparing runs.</summary>
    string Transcript { get; }

    /// <summary>Parses as far as <paramref name="buffered"/> allows (every unconsumed byte plus the new ones); returns how many bytes were consumed.</summary>
    long Feed(ReadOnlySequence<byte> buffered);
}
