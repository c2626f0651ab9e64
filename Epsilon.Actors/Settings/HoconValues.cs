using System.Globalization;
using System.Text;

namespace Epsilon.Actors.Settings;

/// <summary>
/// Renders typed setting values as HOCON values that the settings' own <c>FromConfig</c> reads
/// back to the same value (durations to the tick, sizes to the byte). Used by every settings
/// type's <c>ToHocon()</c>, which the Akka.Hosting extensions feed to the actor system.
/// Thread-safe (stateless).
/// </summary>
public static class HoconValues
{
    /// <summary>A quoted HOCON string: backslash, quote and control characters escaped.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case < ' ' or '\u007f': sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: sb.Append(c); break;
            }
        }
        return sb.Append('"').ToString();
    }

    /// <summary>
    /// A duration in milliseconds (Akka's HOCON reader has no finer unit), written as an exact
    /// decimal of the ticks, so the value read back is tick-exact. Null renders as <c>infinite</c>.
    /// </summary>
    public static string Duration(TimeSpan? value)
    {
        if (value is not { } v) return "infinite";
        var whole = v.Ticks / TimeSpan.TicksPerMillisecond;
        var fraction = v.Ticks % TimeSpan.TicksPerMillisecond;
        return fraction == 0
            ? whole.ToString(CultureInfo.InvariantCulture) + "ms"
            : whole.ToString(CultureInfo.InvariantCulture) + "." + fraction.ToString("D4", CultureInfo.InvariantCulture).TrimEnd('0') + "ms";
    }

    /// <summary>A size in bytes (<c>1234b</c>); null renders as <c>infinite</c>.</summary>
    public static string Bytes(long? value) =>
        value is { } v ? v.ToString(CultureInfo.InvariantCulture) + "b" : "infinite";

    /// <summary>An integer; null renders as <c>infinite</c>.</summary>
    public static string Number(long? value) =>
        value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "infinite";

    /// <summary>A real number in its shortest round-trip form; null renders as <c>off</c>.</summary>
    public static string Number(double? value) =>
        value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "off";

    /// <summary><c>on</c> or <c>off</c>.</summary>
    public static string Switch(bool value) => value ? "on" : "off";
}
