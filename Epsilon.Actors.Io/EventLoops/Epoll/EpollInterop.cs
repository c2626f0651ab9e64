using System.Runtime.InteropServices;

namespace Epsilon.Actors.Io.EventLoops.Epoll;

/// <summary>
/// Direct libc calls for epoll and eventfd, and the Linux constants they take. All entry points
/// are blittable and set <c>errno</c> for <see cref="Marshal.GetLastPInvokeError"/>.
/// </summary>
/// <remarks>
/// <c>struct epoll_event</c> has two layouts. The kernel declares it <c>__attribute__((packed))</c>
/// on x86-64 only, giving 12 bytes with <c>data</c> at offset 4; every other 64-bit ABI (ARM64,
/// RISC-V, …) aligns <c>data</c> naturally, giving 16 bytes with <c>data</c> at offset 8. 32-bit
/// x86 aligns a 64-bit integer to 4 anyway, so it matches the packed form. Both layouts are
/// declared below and <see cref="IsPacked"/> picks one at start-up; the JIT folds the
/// <c>static readonly</c> check, so the choice costs nothing per call.
/// <code>
/// x86-64:  | events u32 | data u64 (unaligned) |                 12 bytes
/// others:  | events u32 | padding u32 | data u64 |               16 bytes
/// </code>
/// </remarks>
internal static unsafe partial class EpollInterop
{
    private const string Libc = "libc";

    /// <summary><c>EPOLLIN</c>: readable (data, end of stream, or a pending connection on a listener).</summary>
    public const uint EPOLLIN = 0x001;

    /// <summary><c>EPOLLOUT</c>: writable (room in the send buffer, or a connect finished).</summary>
    public const uint EPOLLOUT = 0x004;

    /// <summary><c>EPOLLERR</c>: an error is pending; always reported, never needs requesting.</summary>
    public const uint EPOLLERR = 0x008;

    /// <summary><c>EPOLLHUP</c>: both directions are closed (or never connected); always reported.</summary>
    public const uint EPOLLHUP = 0x010;

    /// <summary><c>EPOLLRDHUP</c>: the peer shut down its sending side (half-close); reported only when requested.</summary>
    public const uint EPOLLRDHUP = 0x2000;

    /// <summary><c>EPOLLONESHOT</c>: disable the registration after one event until re-armed with <see cref="EPOLL_CTL_MOD"/>.</summary>
    public const uint EPOLLONESHOT = 1u << 30;

    /// <summary><c>EPOLLET</c>: report only changes of readiness (edges), not the level.</summary>
    public const uint EPOLLET = 1u << 31;

    /// <summary><c>EPOLL_CTL_ADD</c>: register a descriptor.</summary>
    public const int EPOLL_CTL_ADD = 1;

    /// <summary><c>EPOLL_CTL_DEL</c>: unregister a descriptor.</summary>
    public const int EPOLL_CTL_DEL = 2;

    /// <summary><c>EPOLL_CTL_MOD</c>: change a registration's events (and re-arm a one-shot registration).</summary>
    public const int EPOLL_CTL_MOD = 3;

    /// <summary><c>EPOLL_CLOEXEC</c>: close the epoll descriptor on <c>exec</c>.</summary>
    public const int EPOLL_CLOEXEC = 0x80000;

    /// <summary><c>EFD_NONBLOCK</c>: reads of an empty eventfd return <c>EAGAIN</c> instead of blocking.</summary>
    public const int EFD_NONBLOCK = 0x800;

    /// <summary><c>EFD_CLOEXEC</c>: close the eventfd on <c>exec</c>.</summary>
    public const int EFD_CLOEXEC = 0x80000;

    /// <summary>True where <c>struct epoll_event</c> is packed (x86-64, x86): use <see cref="PackedEvent"/>, else <see cref="AlignedEvent"/>.</summary>
    public static readonly bool IsPacked =
        RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86;

    /// <summary>Size in bytes of one <c>struct epoll_event</c> on this process's architecture.</summary>
    public static readonly int EventSize = IsPacked ? sizeof(PackedEvent) : sizeof(AlignedEvent);

    /// <summary><c>struct epoll_event</c> as x86-64 declares it: packed, 12 bytes.</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    public struct PackedEvent
    {
        /// <summary>The <c>EPOLL*</c> event mask.</summary>
        public uint Events;

        /// <summary>The user data (<c>data.u64</c>): the registration token.</summary>
        public ulong Data;
    }

    /// <summary><c>struct epoll_event</c> with natural alignment (ARM64 and the other ABIs), 16 bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct AlignedEvent
    {
        /// <summary>The <c>EPOLL*</c> event mask.</summary>
        public uint Events;

        /// <summary>The user data (<c>data.u64</c>): the registration token.</summary>
        public ulong Data;
    }

    /// <summary><c>epoll_create1(2)</c>: an epoll descriptor or -1. Pass <see cref="EPOLL_CLOEXEC"/>.</summary>
    [LibraryImport(Libc, EntryPoint = "epoll_create1", SetLastError = true)]
    public static partial int EpollCreate1(int flags);

    /// <summary>
    /// <c>epoll_ctl(2)</c>: 0 or -1. <paramref name="ev"/> points to a <see cref="PackedEvent"/> or
    /// <see cref="AlignedEvent"/> per <see cref="IsPacked"/> (ignored for <see cref="EPOLL_CTL_DEL"/>).
    /// Thread-safe: may run while another thread is inside <see cref="EpollWait"/>.
    /// </summary>
    [LibraryImport(Libc, EntryPoint = "epoll_ctl", SetLastError = true)]
    public static partial int EpollCtl(int epfd, int op, int fd, void* ev);

    /// <summary>
    /// <c>epoll_wait(2)</c>: the number of events written to <paramref name="events"/> (an array of
    /// <paramref name="maxEvents"/> structs of <see cref="EventSize"/> bytes), 0 on timeout, or -1
    /// (<c>EINTR</c> when a signal arrived).
    /// </summary>
    [LibraryImport(Libc, EntryPoint = "epoll_wait", SetLastError = true)]
    public static partial int EpollWait(int epfd, void* events, int maxEvents, int timeoutMilliseconds);

    /// <summary><c>eventfd(2)</c>: a counter descriptor or -1. Pass <see cref="EFD_NONBLOCK"/> | <see cref="EFD_CLOEXEC"/>.</summary>
    [LibraryImport(Libc, EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initialValue, int flags);

    /// <summary><c>read(2)</c>: on an eventfd, reads (and resets) the 8-byte counter; -1 with <c>EAGAIN</c> when it is zero.</summary>
    [LibraryImport(Libc, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, void* buffer, nuint count);

    /// <summary><c>write(2)</c>: on an eventfd, adds the 8-byte value to the counter, making it readable.</summary>
    [LibraryImport(Libc, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, void* buffer, nuint count);

    /// <summary><c>close(2)</c>: for the epoll and eventfd descriptors. Never retried on <c>EINTR</c>.</summary>
    [LibraryImport(Libc, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    /// <summary>
    /// Calls <see cref="EpollCtl"/> with an event built in this architecture's layout; 0 or -1
    /// (errno in <see cref="Marshal.GetLastPInvokeError"/>).
    /// </summary>
    public static int Control(int epfd, int op, int fd, uint events, ulong data)
    {
        if (IsPacked)
        {
            var ev = new PackedEvent { Events = events, Data = data };
            return EpollCtl(epfd, op, fd, &ev);
        }
        else
        {
            var ev = new AlignedEvent { Events = events, Data = data };
            return EpollCtl(epfd, op, fd, &ev);
        }
    }

    /// <summary>Reads entry <paramref name="index"/> of an <see cref="EpollWait"/> result buffer in this architecture's layout.</summary>
    public static void ReadEvent(void* events, int index, out uint mask, out ulong data)
    {
        if (IsPacked)
        {
            var ev = ((PackedEvent*)events)[index];
            mask = ev.Events;
            data = ev.Data;
        }
        else
        {
            var ev = ((AlignedEvent*)events)[index];
            mask = ev.Events;
            data = ev.Data;
        }
    }
}
