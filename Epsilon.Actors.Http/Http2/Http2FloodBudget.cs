namespace Epsilon.Actors.Http.Http2;

/// <summary>
/// A token bucket that bounds how often a peer may make this side do work it did not ask for
/// (resets, control frames, empty frames): <see cref="Capacity"/> events at once, refilled at
/// <see cref="Capacity"/> per <see cref="Period"/>. Pure: timestamps in, yes or no out. A connection
/// whose budget runs out ends with ENHANCE_YOUR_CALM (the defence against rapid reset,
/// CVE-2023-44487, and the control-frame floods of CVE-2019-9512 to 9518).
/// </summary>
internal struct Http2FloodBudget
{
    private double _tokens;
    private TimeSpan _last;

    /// <summary>A full budget of <paramref name="capacity"/> events refilled over <paramref name="period"/>.</summary>
    public Http2FloodBudget(int capacity, TimeSpan period)
    {
        Capacity = capacity;
        Period = period;
        _tokens = capacity;
    }

    /// <summary>Events allowed at once.</summary>
    public int Capacity { get; }

    /// <summary>The time in which a spent budget refills completely.</summary>
    public TimeSpan Period { get; }

    /// <summary>Spends one event at <paramref name="now"/>; false when the budget is spent.</summary>
    public bool TrySpend(TimeSpan now)
    {
        if (Capacity <= 0) return true;
        if (now > _last)
        {
            _tokens = Math.Min(Capacity, _tokens + (now - _last).TotalMilliseconds / Period.TotalMilliseconds * Capacity);
            _last = now;
        }

        if (_tokens < 1) return false;
        _tokens -= 1;
        return true;
    }
}
