using BenchmarkDotNet.Attributes;
using Epsilon.Actors.Io.EventLoops;

namespace Epsilon.Actors.Bench.Micro;

/// <summary>
/// The per-direction one-shot interest state of <see cref="LoopRegistration"/>, which every
/// readiness event and every re-arm goes through: arm then signal (the usual order: the actor
/// asks, the poller answers) and signal then arm (an edge seen before anyone asked, as
/// edge-triggered epoll reports it, delivered by the next arm). Each is two compare-and-swaps.
/// </summary>
[BenchmarkCategory("EventLoop")]
public class LoopRegistrationBench
{
    // Arm and Signal touch only the registration's own state, never its loop, socket or listener.
    private readonly LoopRegistration _registration = new(null!, null!, null!, token: 1);

    [Benchmark(Description = "Arm(Read) then Signal(Read)")]
    public int ArmThenSignal()
    {
        _registration.Arm(IoReadiness.Read);
        return (int)_registration.Signal(IoReadiness.Read);
    }

    [Benchmark(Description = "Signal(Read) then Arm(Read)")]
    public int SignalThenArm()
    {
        _registration.Signal(IoReadiness.Read);
        return (int)_registration.Arm(IoReadiness.Read).ReadyNow;
    }
}
