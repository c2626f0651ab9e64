using Epsilon.Actors.Io.EventLoops;
using Epsilon.Actors.Io.EventLoops.Portable;

namespace Epsilon.Actors.Tests.Io.EventLoops;

/// <summary>The poller contract on the portable backend, which runs on every host.</summary>
public sealed class PortablePollerTests : PollerContractTests
{
    private protected override string? UnavailableReason => null;

    private protected override IoBackend CreateBackend() => new PortableBackend();
}
