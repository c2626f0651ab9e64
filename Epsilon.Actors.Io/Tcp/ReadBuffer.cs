namespace Epsilon.Actors.Io.Tcp;

/// <summary>
/// One read buffer per thread. Connection actors run on their loop's thread and read
/// synchronously, so every connection of a loop shares one buffer and an idle connection holds
/// none; the bytes read are copied into the <c>Received</c> message's own <c>ByteString</c>.
/// </summary>
internal static class ReadBuffer
{
    [ThreadStatic]
    private static byte[]? t_buffer;

    /// <summary>This thread's buffer, at least <paramref name="size"/> bytes long.</summary>
    public static byte[] Get(int size)
    {
        var buffer = t_buffer;
        if (buffer is null || buffer.Length < size) t_buffer = buffer = GC.AllocateUninitializedArray<byte>(size, pinned: true);
        return buffer;
    }
}
