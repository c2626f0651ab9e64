using Epsilon.Actors.Io.EventLoops;
using Epsilon.Actors.Io.EventLoops.Epoll;

namespace Epsilon.Actors.Tests.Io.EventLoops;

/// <summary>The poller contract on one-shot level-triggered epoll; skipped off Linux.</summary>
public sealed class EpollLevelPollerTests : PollerContractTests
{
    private protected override string? UnavailableReason =>
        EpollBackend.IsSupported ? null : "the epoll backend needs Linux with epoll_create1 available through libc";

    private protected override IoBackend CreateBackend() => new EpollBackend(edgeTriggered: false);
}
