namespace Epsilon.Actors.Settings;

/// <summary>Range checks used by every settings object's <c>init</c> accessors.</summary>
public static class SettingsGuard
{
    /// <summary>Returns <paramref name="value"/> when it lies in [min, max]; otherwise throws naming the setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">the value is outside the range.</exception>
    public static T InRange<T>(T value, T min, T max, string name)
        where T : IComparable<T>
    {
        if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be between {min} and {max}");
        return value;
    }

    /// <summary>Returns <paramref name="value"/> when it is positive or null (null: no limit).</summary>
    /// <exception cref="ArgumentOutOfRangeException">the value is zero or negative.</exception>
    public static TimeSpan? PositiveOrInfinite(TimeSpan? value, string name)
    {
        if (value is { } v && v <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive, or infinite");
        return value;
    }

    /// <summary>Reads a duration that may be <c>infinite</c>/<c>off</c> (null).</summary>
    public static TimeSpan? DurationOrInfinite(Akka.Configuration.Config config, string key)
    {
        var raw = config.GetString(key)?.Trim().ToLowerInvariant();
        return raw is null or "" or "infinite" or "off" or "inf" ? null : config.GetTimeSpan(key);
    }
}
