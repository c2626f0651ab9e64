namespace Epsilon.Actors.Io.Tcp;

/// <summary>
/// Per-thread scratch buffers. Connection actors run on their loop's thread and use these only
/// inside one message, so every connection of a loop shares them and an idle connection holds
/// none: reads land in <see cref="Read"/> and are copied into the <c>Received</c>'s own
/// <c>ByteString</c>; small queued writes are gathered in <see cref="Gather"/> for one <c>send</c>.
/// </summary>
internal static class LoopBuffers
{
    /// <summary>Size of the gather buffer: small writes are coalesced up to this many bytes per send.</summary>
    public const int GatherSize = 64 * 1024;

    [ThreadStatic]
    private static byte[]? t_read;

    [ThreadStatic]
    private static byte[]? t_gather;

    /// <summary>This thread's read buffer, at least <paramref name="size"/> bytes long.</summary>
    public static byte[] Read(int size)
    {
        var buffer = t_read;
        if (buffer is null || buffer.Length < size) t_read = buffer = GC.AllocateUninitializedArray<byte>(size, pinned: true);
        return buffer;
    }

    /// <summary>This thread's gather buffer (<see cref="GatherSize"/> bytes).</summary>
    public static byte[] Gather() => t_gather ??= GC.AllocateUninitializedArray<byte>(GatherSize, pinned: true);
}
