using System.Diagnostics;

namespace Epsilon.Actors.Bench.Load;

/// <summary>Round-trip samples in ticks, kept in one preallocated array; percentiles by sorting once.</summary>
internal sealed class LatencyRecorder(int capacity)
{
    private readonly long[] _samples = new long[capacity];
    private int _count;

    public void Record(long ticks)
    {
        if (_count < _samples.Length) _samples[_count++] = ticks;
    }

    /// <summary>The percentile in microseconds (p in 0..100), or NaN with no samples.</summary>
    public double PercentileMicros(double p)
    {
        if (_count == 0) return double.NaN;
        Array.Sort(_samples, 0, _count);
        var index = (int)Math.Clamp(Math.Ceiling(p / 100.0 * _count) - 1, 0, _count - 1);
        return _samples[index] * 1_000_000.0 / Stopwatch.Frequency;
    }
}
