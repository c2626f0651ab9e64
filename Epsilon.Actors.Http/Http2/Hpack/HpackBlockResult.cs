namespace Epsilon.Actors.Http.Http2.Hpack;

/// <summary>What <see cref="HpackDecoder.Decode{THandler}"/> found after a fragment of a header block.</summary>
internal enum HpackBlockResult
{
    /// <summary>More fragments of this block are to come (no END_HEADERS yet).</summary>
    Incomplete,

    /// <summary>The block is complete and every field was delivered.</summary>
    Complete,

    /// <summary>
    /// The block is complete and the decoder's state is intact, but its decoded size exceeded the
    /// header list limit: fields past the limit were not delivered. The stream is refused (431 or
    /// RST_STREAM); the connection goes on.
    /// </summary>
    CompleteTooLarge,
}
