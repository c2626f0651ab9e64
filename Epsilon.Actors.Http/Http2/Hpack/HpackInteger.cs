namespace Epsilon.Actors.Http.Http2.Hpack;

/// <summary>
/// HPACK's prefixed integers (RFC 7541 §5.1): a value below 2^N-1 fits in the N-bit prefix of the
/// first octet; a larger one sets the prefix to all ones and continues in 7-bit groups, least
/// significant first. Decoding is incremental (<see cref="Decoder"/>) so an integer may be split
/// across frames.
/// </summary>
internal static class HpackInteger
{
    /// <summary>The largest value decoded: more is a COMPRESSION_ERROR (no field, length or index needs it).</summary>
    public const int MaxValue = int.MaxValue;

    /// <summary>Writes <paramref name="value"/> with an <paramref name="prefixBits"/>-bit prefix; <paramref name="firstByteFlags"/> are the bits above the prefix.</summary>
    /// <returns>The octets written.</returns>
    public static int Encode(Span<byte> destination, int value, int prefixBits, byte firstByteFlags)
    {
        var max = (1 << prefixBits) - 1;
        if (value < max)
        {
            destination[0] = (byte)(firstByteFlags | value);
            return 1;
        }

        destination[0] = (byte)(firstByteFlags | max);
        var rest = (uint)(value - max);
        var i = 1;
        while (rest >= 0x80)
        {
            destination[i++] = (byte)(rest | 0x80);
            rest >>= 7;
        }

        destination[i++] = (byte)rest;
        return i;
    }

    /// <summary>How many octets <see cref="Encode"/> writes for <paramref name="value"/>.</summary>
    public static int EncodedLength(int value, int prefixBits)
    {
        var max = (1 << prefixBits) - 1;
        if (value < max) return 1;
        var rest = (uint)(value - max);
        var length = 2;
        while (rest >= 0x80)
        {
            rest >>= 7;
            length++;
        }

        return length;
    }

    /// <summary>An integer being decoded, octet by octet.</summary>
    public struct Decoder
    {
        private int _value;
        private int _shift;

        /// <summary>Starts with the first octet; true when the integer is complete in it.</summary>
        public bool Start(byte first, int prefixBits, out int value)
        {
            var max = (1 << prefixBits) - 1;
            _value = first & max;
            _shift = 0;
            value = _value;
            return _value < max;
        }

        /// <summary>Takes one continuation octet; true when the integer is complete.</summary>
        /// <exception cref="HpackDecodingException">The value exceeds <see cref="MaxValue"/>.</exception>
        public bool Continue(byte next, out int value)
        {
            var part = (long)(next & 0x7f) << _shift;
            var total = _value + part;
            // Continuation octets of zero past the value's bits would only pad; a fifth one already exceeds 2^31.
            if (_shift > 28 || total > MaxValue) throw new HpackDecodingException("An HPACK integer exceeds 2^31-1.");
            _value = (int)total;
            _shift += 7;
            value = _value;
            return (next & 0x80) == 0;
        }
    }
}
