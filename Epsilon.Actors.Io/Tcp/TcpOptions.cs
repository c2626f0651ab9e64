using System.Net.Sockets;
using Akka.IO;
using Epsilon.Actors.Io.EventLoops;

namespace Epsilon.Actors.Io.Tcp;

/// <summary>
/// TCP socket options for <c>Tcp.Bind</c> and <c>Tcp.Connect</c> that Akka.IO 1.5 lacks, as
/// <see cref="Inet.SocketOption"/>s: they work with Epsilon's manager (applied with one system
/// call, on every backend) and with Akka's own. Akka's <c>Inet.SO.*</c> options work too.
/// </summary>
public static class TcpOptions
{
    /// <summary>TCP_NODELAY: send small segments at once (Nagle off). Epsilon turns it on by default.</summary>
    public static Inet.SocketOption NoDelay(bool on) =>
        new IntOption(SocketOptionLevel.Tcp, SocketOptionName.NoDelay, on ? 1 : 0, $"NoDelay({on})");

    /// <summary>SO_KEEPALIVE: let the kernel probe idle connections.</summary>
    public static Inet.SocketOption KeepAlive(bool on) =>
        new IntOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, on ? 1 : 0, $"KeepAlive({on})");

    /// <summary>SO_REUSEPORT (Linux, macOS, BSD): several listeners may bind the same port; the kernel balances between them.</summary>
    public static Inet.SocketOption ReusePort(bool on) => new ReusePortOption(on);

    /// <summary>SO_REUSEADDR.</summary>
    public static Inet.SocketOption ReuseAddress(bool on) =>
        new IntOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, on ? 1 : 0, $"ReuseAddress({on})");

    /// <summary>SO_RCVBUF in bytes.</summary>
    public static Inet.SocketOption ReceiveBufferSize(int bytes) =>
        new IntOption(SocketOptionLevel.Socket, SocketOptionName.ReceiveBuffer, Positive(bytes), $"ReceiveBufferSize({bytes})");

    /// <summary>SO_SNDBUF in bytes.</summary>
    public static Inet.SocketOption SendBufferSize(int bytes) =>
        new IntOption(SocketOptionLevel.Socket, SocketOptionName.SendBuffer, Positive(bytes), $"SendBufferSize({bytes})");

    /// <summary>SO_LINGER: null turns lingering off; a time makes close wait that long for unsent data (zero: close with a reset).</summary>
    public static Inet.SocketOption Linger(TimeSpan? time) => new LingerOption(time);

    /// <summary>
    /// Listen with exactly the <c>Tcp.Bind</c>'s backlog (still capped by the kernel's
    /// <c>net.core.somaxconn</c>) instead of raising it to <c>epsilon.io.tcp.min-backlog</c>: for a
    /// caller whose backlog is a deliberate choice, not Akka's default of 100 (the HTTP server's
    /// <c>listen-backlog</c> is passed this way). Ignored by connections and by Akka's own manager.
    /// </summary>
    public static Inet.SocketOption ExactBacklog { get; } = new ExactBacklogOption();

    /// <summary>True when <paramref name="options"/> ask for the bind's own backlog (<see cref="ExactBacklog"/>).</summary>
    internal static bool WantsExactBacklog(IEnumerable<Inet.SocketOption>? options) =>
        options?.Any(o => o is ExactBacklogOption) == true;

    private static int Positive(int bytes) =>
        bytes > 0 ? bytes : throw new ArgumentOutOfRangeException(nameof(bytes), bytes, "a buffer size must be positive");

    /// <summary>Applies <paramref name="options"/> for one phase: natively when the option is ours, through a <see cref="Socket"/> view otherwise.</summary>
    internal static void Apply(LoopSocket socket, IEnumerable<Inet.SocketOption>? options, SocketPhase phase)
    {
        if (options is null) return;
        foreach (var option in options)
        {
            if (option is EpsilonOption own)
            {
                if (own.Phase == phase || (own.Phase == SocketPhase.BeforeConnect && phase == SocketPhase.BeforeBind))
                {
                    var error = own.Apply(socket);
                    if (error != SocketError.Success) throw new SocketException((int)error);
                }

                continue;
            }

            switch (phase)
            {
                case SocketPhase.BeforeBind:
                    socket.WithManagedView(option.BeforeServerSocketBind);
                    break;
                case SocketPhase.BeforeConnect:
                    socket.WithManagedView(option.BeforeConnect);
                    break;
                case SocketPhase.AfterConnect:
                    socket.WithManagedView(option.AfterConnect);
                    break;
                case SocketPhase.AfterBind when option is Inet.SocketOptionV2 v2:
                    socket.WithManagedView(v2.AfterBind);
                    break;
            }
        }
    }

    /// <summary>True when the options set <paramref name="name"/> themselves, so a default must not override them.</summary>
    internal static bool Sets(IEnumerable<Inet.SocketOption>? options, SocketOptionName name) =>
        options?.Any(o => o is IntOption i && i.Name == name) == true;

    /// <summary>An option that Epsilon applies with one native call.</summary>
    internal abstract class EpsilonOption : Inet.SocketOption
    {
        /// <summary>When it is applied: options that must precede bind or connect use <see cref="SocketPhase.BeforeConnect"/>.</summary>
        public abstract SocketPhase Phase { get; }

        /// <summary>Applies the option.</summary>
        public abstract SocketError Apply(LoopSocket socket);

        /// <summary>Applies through a plain socket (Akka's own manager).</summary>
        protected abstract void Apply(Socket socket);

        /// <inheritdoc />
        public override void BeforeServerSocketBind(Socket ss)
        {
            if (Phase == SocketPhase.BeforeConnect) Apply(ss);
        }

        /// <inheritdoc />
        public override void BeforeConnect(Socket s)
        {
            if (Phase == SocketPhase.BeforeConnect) Apply(s);
        }

        /// <inheritdoc />
        public override void AfterConnect(Socket s)
        {
            if (Phase == SocketPhase.AfterConnect) Apply(s);
        }
    }

    private sealed class IntOption(SocketOptionLevel level, SocketOptionName name, int value, string text) : EpsilonOption
    {
        public SocketOptionName Name => name;

        // Buffer sizes and address reuse must be set before bind/connect to take effect for the
        // window scale; NoDelay and KeepAlive are set on every connected socket (accepted ones too).
        public override SocketPhase Phase => name is SocketOptionName.NoDelay or SocketOptionName.KeepAlive
            ? SocketPhase.AfterConnect
            : SocketPhase.BeforeConnect;

        public override SocketError Apply(LoopSocket socket) => socket.SetOption(level, name, value);

        protected override void Apply(Socket socket) => socket.SetSocketOption(level, name, value);

        public override string ToString() => text;
    }

    private sealed class ReusePortOption(bool on) : EpsilonOption
    {
        public override SocketPhase Phase => SocketPhase.BeforeConnect;

        public override SocketError Apply(LoopSocket socket) => socket.SetOption(SocketOptionLevel.Socket, LoopSocket.ReusePortOption, on ? 1 : 0);

        protected override void Apply(Socket socket) => socket.SetRawSocketOption(SolSocket, ReusePortName, BitConverter.GetBytes(on ? 1 : 0));

        public override string ToString() => $"ReusePort({on})";
    }

    // A marker read by the listener; nothing is set on the socket.
    private sealed class ExactBacklogOption : EpsilonOption
    {
        public override SocketPhase Phase => SocketPhase.AfterBind;

        public override SocketError Apply(LoopSocket socket) => SocketError.Success;

        protected override void Apply(Socket socket)
        {
        }

        public override string ToString() => "ExactBacklog";
    }

    private sealed class LingerOption(TimeSpan? time) : EpsilonOption
    {
        public override SocketPhase Phase => SocketPhase.AfterConnect;

        public override SocketError Apply(LoopSocket socket) => socket.SetLinger(time.HasValue, (int)(time?.TotalSeconds ?? 0));

        protected override void Apply(Socket socket) => socket.LingerState = new System.Net.Sockets.LingerOption(time.HasValue, (int)(time?.TotalSeconds ?? 0));

        public override string ToString() => $"Linger({time?.ToString() ?? "off"})";
    }

    /// <summary>SO_REUSEPORT's number: 15 on Linux, 0x200 on macOS and the BSDs.</summary>
    internal static int ReusePortName => OperatingSystem.IsLinux() ? 15 : 0x200;

    /// <summary>SOL_SOCKET's number: 1 on Linux, 0xffff on macOS and the BSDs.</summary>
    internal static int SolSocket => OperatingSystem.IsLinux() ? 1 : 0xffff;
}

/// <summary>The moments in a socket's set-up when options are applied.</summary>
internal enum SocketPhase
{
    /// <summary>A listener, before bind.</summary>
    BeforeBind,

    /// <summary>A listener, after bind.</summary>
    AfterBind,

    /// <summary>An outgoing socket, before connect.</summary>
    BeforeConnect,

    /// <summary>A connected socket (outgoing or accepted).</summary>
    AfterConnect,
}
