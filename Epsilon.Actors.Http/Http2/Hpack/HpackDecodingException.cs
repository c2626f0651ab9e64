namespace Epsilon.Actors.Http.Http2.Hpack;

/// <summary>
/// A header block that cannot be decoded: HPACK's state is then lost, so the only answer is a
/// connection error of type COMPRESSION_ERROR (RFC 9113 §4.3). The decoder must not be fed again.
/// </summary>
internal sealed class HpackDecodingException(string message) : Exception(message)
{
}
