namespace Epsilon.Actors.Http.Http2.Hpack;

/// <summary>
/// Receives the fields of a header block as <see cref="HpackDecoder"/> decodes them, in order.
/// Implemented by structs passed by reference, so calls are not virtual and nothing is boxed.
/// The spans are valid only during the call.
/// </summary>
internal interface IHpackHeaderHandler
{
    /// <summary>One decoded field.</summary>
    void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value);
}
