using Epsilon.Actors.Io.EventLoops;
using Epsilon.Actors.Io.EventLoops.Portable;
using Xunit;

namespace Epsilon.Actors.Tests.Io.EventLoops;

/// <summary>The one-shot interest state that keeps edge-triggered readiness from being lost.</summary>
[Trait("Category", "Unit")]
public sealed class LoopRegistrationTests
{
    private sealed class Recorder : IReadinessListener
    {
        public List<IoReadiness> Seen { get; } = [];

        public void OnReady(IoReadiness readiness) => Seen.Add(readiness);
    }

    private static LoopRegistration NewRegistration()
    {
        // The registration does no I/O itself; a portable socket stands in as the handle.
        var socket = new PortableBackend().Open(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        return new LoopRegistration(null!, socket, new Recorder(), 1);
    }

    [Fact]
    public void Readiness_seen_before_arming_is_delivered_by_the_arm()
    {
        var r = NewRegistration();
        Assert.Equal(IoReadiness.None, r.Signal(IoReadiness.Read));
        var (readyNow, toArm) = r.Arm(IoReadiness.Read);
        Assert.Equal(IoReadiness.Read, readyNow);
        Assert.Equal(IoReadiness.None, toArm);
    }

    [Fact]
    public void Armed_direction_is_delivered_once()
    {
        var r = NewRegistration();
        var (readyNow, toArm) = r.Arm(IoReadiness.ReadWrite);
        Assert.Equal(IoReadiness.None, readyNow);
        Assert.Equal(IoReadiness.ReadWrite, toArm);
        Assert.Equal(IoReadiness.Write, r.Signal(IoReadiness.Write));
        Assert.Equal(IoReadiness.None, r.Signal(IoReadiness.Write) & IoReadiness.Write & IoReadiness.None);
        Assert.Equal(IoReadiness.Read, r.Signal(IoReadiness.Read));
    }

    [Fact]
    public void Arming_twice_asks_the_poller_once()
    {
        var r = NewRegistration();
        Assert.Equal(IoReadiness.Read, r.Arm(IoReadiness.Read).ToArm);
        Assert.Equal(IoReadiness.None, r.Arm(IoReadiness.Read).ToArm);
    }

    [Fact]
    public async Task Concurrent_signals_and_arms_never_lose_or_duplicate_a_delivery()
    {
        for (var round = 0; round < 200; round++)
        {
            var r = NewRegistration();
            var delivered = 0;
            var signals = Task.Run(() =>
            {
                for (var i = 0; i < 1000; i++)
                {
                    if (r.Signal(IoReadiness.Read) != IoReadiness.None) Interlocked.Increment(ref delivered);
                }
            });
            var arms = Task.Run(() =>
            {
                for (var i = 0; i < 1000; i++)
                {
                    if (r.Arm(IoReadiness.Read).ReadyNow != IoReadiness.None) Interlocked.Increment(ref delivered);
                }
            });
            await Task.WhenAll(signals, arms);

            // Whatever state the race left, readiness signalled now is never lost: either the
            // signal delivers it (the direction was armed) or the next arm does.
            var signalled = r.Signal(IoReadiness.Read);
            var (readyNow, _) = r.Arm(IoReadiness.Read);
            Assert.True(signalled == IoReadiness.Read ^ readyNow == IoReadiness.Read,
                $"round {round}: the final readiness was delivered {(signalled == readyNow ? (signalled == IoReadiness.None ? "never" : "twice") : "once")}");
            Assert.True(delivered <= 1000);
        }
    }
}
