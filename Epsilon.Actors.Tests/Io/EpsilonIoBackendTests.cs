using Akka.Actor;
using Epsilon.Actors.Io;
using Epsilon.Actors.Tests.TestKit;
using Xunit;

namespace Epsilon.Actors.Tests.Io;

/// <summary>Backend choice: auto, explicit, and the clear failure for one the platform lacks.</summary>
[Trait("Category", "Loopback")]
public sealed class EpsilonIoBackendTests
{
    [Fact]
    public async Task Auto_picks_epoll_on_Linux_and_portable_elsewhere()
    {
        var system = ActorSystem.Create("auto", EpsilonTestConfig.For("auto"));
        try
        {
            var io = EpsilonIo.For(system);
            Assert.Equal(OperatingSystem.IsLinux() ? "epoll" : "portable", io.BackendName);
            Assert.Equal(2, io.EventLoopCount);
            Assert.Equal(OperatingSystem.IsLinux(), io.Capabilities.NativeSyscalls);
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Theory]
    [InlineData("kqueue")]
    [InlineData("iocp")]
    public async Task A_backend_the_platform_lacks_fails_at_start_naming_it(string backend)
    {
        var system = ActorSystem.Create("lacking", EpsilonTestConfig.For(backend));
        try
        {
            var ex = Assert.ThrowsAny<Exception>(() => EpsilonIo.For(system));
            var notSupported = ex as PlatformNotSupportedException ?? ex.InnerException as PlatformNotSupportedException;
            Assert.NotNull(notSupported);
            Assert.Contains(backend, notSupported!.Message);
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public async Task Terminating_the_system_stops_the_event_loop_threads()
    {
        var system = ActorSystem.Create("threads", EpsilonTestConfig.For("auto"));
        var loops = EpsilonIo.For(system).Group.Loops;
        Assert.All(loops, l => Assert.True(l.IsRunning));
        await system.Terminate();
        Assert.All(loops, l => Assert.False(l.IsRunning));
    }
}
