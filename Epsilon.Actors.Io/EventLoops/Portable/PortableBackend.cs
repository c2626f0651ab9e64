using System.Net.Sockets;

namespace Epsilon.Actors.Io.EventLoops.Portable;

/// <summary>
/// The backend that runs everywhere: <see cref="System.Net.Sockets.Socket"/> underneath, with
/// completions turned into readiness. It is the reference backend for tests.
/// </summary>
internal sealed class PortableBackend : IoBackend
{
    /// <inheritdoc />
    public override string Name => "portable";

    /// <inheritdoc />
    public override IoBackendCapabilities Capabilities { get; } =
        new(EdgeTriggered: false, ReusePort: OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD(), NativeSyscalls: false);

    /// <inheritdoc />
    public override IPoller CreatePoller() => new SocketAsyncPoller();

    /// <inheritdoc />
    public override LoopSocket Open(AddressFamily family, SocketType type, ProtocolType protocol) =>
        new ManagedSocket(family, type, protocol);
}
