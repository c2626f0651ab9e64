using System.Diagnostics;

namespace Epsilon.Actors.Bench.Micro;

/// <summary>
/// Waits for a counter that another thread advances, without ever sleeping a whole millisecond
/// (a <c>Thread.Sleep(1)</c> would swamp microsecond-scale measurements), and with a deadline so
/// a broken benchmark fails instead of hanging the run.
/// </summary>
internal static class BenchWait
{
    private static readonly long s_timeoutTicks = Stopwatch.Frequency * 10;

    /// <summary>Spins (then yields) until <paramref name="counter"/> reaches <paramref name="target"/>.</summary>
    /// <exception cref="TimeoutException">after 10 seconds.</exception>
    public static void Until(ref long counter, long target)
    {
        if (Volatile.Read(ref counter) >= target) return;
        var spinner = new SpinWait();
        var deadline = Stopwatch.GetTimestamp() + s_timeoutTicks;
        var n = 0;
        while (Volatile.Read(ref counter) < target)
        {
            // -1: never fall back to Sleep(1); Sleep(0)/Yield still let the other threads of a
            // 2-core machine run.
            spinner.SpinOnce(sleep1Threshold: -1);
            if ((++n & 1023) == 0 && Stopwatch.GetTimestamp() > deadline)
                throw new TimeoutException($"counter stuck at {Volatile.Read(ref counter)}, waiting for {target}");
        }
    }
}
