namespace Epsilon.Actors.Http.Http2.Hpack;

/// <summary>
/// HPACK's static Huffman code (RFC 7541 §5.2, Appendix B). The code is canonical: sorted by
/// length, then by symbol, each code is the previous one plus one, shifted left by the change in
/// length. So the table below holds only the code lengths of Appendix B's "len" column (symbols 0
/// to 255, then EOS as 256), and the codes are derived from them; tests check the derived codes
/// against rows of the appendix and the RFC's Appendix C examples.
/// </summary>
internal static class HpackHuffman
{
    /// <summary>The symbol that ends a string; it must never appear in one (§5.2).</summary>
    public const int Eos = 256;

    private static readonly byte[] s_lengths =
    [
        13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
        6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
        13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
        15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, 6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
        20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
        22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
        26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, 19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
        20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, 26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
        30,
    ];

    private const int MinLength = 5;
    private const int MaxLength = 30;
    private const int FastBits = 8;

    private static readonly uint[] s_codes = new uint[257];

    // Canonical decoding: for each length, the first code of that length, how many codes have it,
    // and where their symbols start in s_symbolsByCode.
    private static readonly uint[] s_firstCode = new uint[MaxLength + 1];
    private static readonly int[] s_countOfLength = new int[MaxLength + 1];
    private static readonly int[] s_firstSymbolSlot = new int[MaxLength + 1];
    private static readonly short[] s_symbolsByCode = new short[257];

    // Codes of up to FastBits bits decoded by one look-up of the next FastBits bits: symbol << 8 | length, or 0.
    private static readonly ushort[] s_fast = new ushort[1 << FastBits];

    static HpackHuffman()
    {
        var order = Enumerable.Range(0, 257).OrderBy(s => s_lengths[s]).ThenBy(s => s).ToArray();
        uint code = 0;
        var previous = s_lengths[order[0]];
        for (var i = 0; i < order.Length; i++)
        {
            var symbol = order[i];
            int length = s_lengths[symbol];
            if (i > 0) code = (code + 1) << (length - previous);
            previous = (byte)length;
            s_codes[symbol] = code;
            s_symbolsByCode[i] = (short)symbol;
            if (s_countOfLength[length]++ == 0)
            {
                s_firstCode[length] = code;
                s_firstSymbolSlot[length] = i;
            }

            if (length <= FastBits)
            {
                var start = (int)(code << (FastBits - length));
                for (var j = 0; j < 1 << (FastBits - length); j++) s_fast[start + j] = (ushort)(symbol << 8 | length);
            }
        }
    }

    /// <summary>The code of <paramref name="symbol"/>, right-aligned, and its length in bits.</summary>
    public static (uint Code, int Length) CodeOf(int symbol) => (s_codes[symbol], s_lengths[symbol]);

    /// <summary>How many octets <paramref name="source"/> takes Huffman-coded, padding included.</summary>
    public static int EncodedLength(ReadOnlySpan<byte> source)
    {
        long bits = 0;
        foreach (var b in source) bits += s_lengths[b];
        return (int)((bits + 7) >> 3);
    }

    /// <summary>How many octets <paramref name="source"/> (Latin-1 characters) takes Huffman-coded.</summary>
    public static int EncodedLength(ReadOnlySpan<char> source)
    {
        long bits = 0;
        foreach (var c in source) bits += s_lengths[(byte)c];
        return (int)((bits + 7) >> 3);
    }

    /// <summary>Encodes <paramref name="source"/>, padding the last octet with the high bits of EOS (ones).</summary>
    /// <returns>The octets written; <paramref name="destination"/> must hold <see cref="EncodedLength(ReadOnlySpan{byte})"/>.</returns>
    public static int Encode(ReadOnlySpan<byte> source, Span<byte> destination) => Encode(source, default, destination);

    /// <summary>Encodes Latin-1 characters (each below 256; the caller has checked) as <see cref="Encode(ReadOnlySpan{byte}, Span{byte})"/>.</summary>
    public static int Encode(ReadOnlySpan<char> source, Span<byte> destination) => Encode(default, source, destination);

    // One loop for both inputs: exactly one of bytes and chars is used.
    private static int Encode(ReadOnlySpan<byte> bytes, ReadOnlySpan<char> chars, Span<byte> destination)
    {
        ulong buffer = 0;
        var bits = 0;
        var written = 0;
        var length = Math.Max(bytes.Length, chars.Length);
        for (var i = 0; i < length; i++)
        {
            var b = bytes.IsEmpty ? (byte)chars[i] : bytes[i];
            buffer = buffer << s_lengths[b] | s_codes[b];
            bits += s_lengths[b];
            while (bits >= 8)
            {
                bits -= 8;
                destination[written++] = (byte)(buffer >> bits);
            }
        }

        if (bits > 0) destination[written++] = (byte)(buffer << (8 - bits) | (0xffu >> bits));
        return written;
    }

    /// <summary>
    /// Decodes a complete Huffman-coded string. The decoded length is at most 8/5 of the coded
    /// one (the shortest code has 5 bits), so a <paramref name="destination"/> of that size always suffices.
    /// </summary>
    /// <returns>The octets written.</returns>
    /// <exception cref="HpackDecodingException">EOS inside the string, padding longer than 7 bits, or padding that is not the high bits of EOS (§5.2).</exception>
    public static int Decode(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        ulong buffer = 0;
        var bits = 0;
        var written = 0;
        var i = 0;
        while (true)
        {
            // Keep at least MaxLength bits buffered while input lasts.
            while (bits <= 56 && i < source.Length)
            {
                buffer = buffer << 8 | source[i++];
                bits += 8;
            }

            if (bits == 0) return written;
            if (bits >= FastBits)
            {
                var entry = s_fast[(int)(buffer >> (bits - FastBits)) & ((1 << FastBits) - 1)];
                if (entry != 0)
                {
                    destination[written++] = (byte)(entry >> 8);
                    bits -= entry & 0xff;
                    continue;
                }
            }

            var symbol = -1;
            var length = MinLength;
            for (; length <= MaxLength && length <= bits; length++)
            {
                if (s_countOfLength[length] == 0) continue;
                var candidate = (uint)(buffer >> (bits - length)) & (uint)((1L << length) - 1);
                var offset = candidate - s_firstCode[length];
                if (offset < (uint)s_countOfLength[length])
                {
                    symbol = s_symbolsByCode[s_firstSymbolSlot[length] + (int)offset];
                    break;
                }
            }

            if (symbol < 0)
            {
                // No code fits what is left: it must be padding, shorter than 8 bits and all ones.
                var mask = (1UL << bits) - 1;
                if (bits > 7) throw new HpackDecodingException("Huffman padding is longer than 7 bits or the string holds an invalid code.");
                if ((buffer & mask) != mask) throw new HpackDecodingException("Huffman padding is not the most significant bits of EOS.");
                return written;
            }

            if (symbol == Eos) throw new HpackDecodingException("A Huffman-coded string contains EOS.");
            destination[written++] = (byte)symbol;
            bits -= length;
        }
    }
}
