namespace Epsilon.Actors.Bench.Macro;

/// <summary>CPU time and resident memory of another process, from /proc (Linux).</summary>
internal static class ProcStats
{
    private const double ClockTicksPerSecond = 100.0; // USER_HZ, 100 on every Linux build we target

    /// <summary>User + system CPU seconds of every thread the process has run, or NaN if unreadable.</summary>
    public static double CpuSeconds(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after "(comm)": state is the first; utime and stime are fields 14 and 15 overall.
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture)
                + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / ClockTicksPerSecond;
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    /// <summary>Resident set size in bytes (VmRSS), or NaN if unreadable.</summary>
    public static double RssBytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
                var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, System.Globalization.CultureInfo.InvariantCulture) * 1024.0;
            }
        }
        catch (IOException)
        {
        }

        return double.NaN;
    }
}
