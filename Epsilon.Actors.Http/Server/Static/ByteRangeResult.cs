namespace Epsilon.Actors.Http.Server.Static;

/// <summary>The decision of <see cref="ByteRangeParser.Evaluate"/>.</summary>
/// <param name="Kind">Whole, partial or unsatisfiable.</param>
/// <param name="Start">First byte of a partial response.</param>
/// <param name="Length">Byte count of a partial response.</param>
internal readonly record struct ByteRangeResult(ByteRangeKind Kind, long Start, long Length)
{
    /// <summary>Send the whole representation with 200.</summary>
    public static ByteRangeResult Full => new(ByteRangeKind.Full, 0, 0);

    /// <summary>Answer 416.</summary>
    public static ByteRangeResult Unsatisfiable => new(ByteRangeKind.Unsatisfiable, 0, 0);

    /// <summary>Send <paramref name="length"/> bytes from <paramref name="start"/> with 206.</summary>
    public static ByteRangeResult Partial(long start, long length) => new(ByteRangeKind.Partial, start, length);
}
