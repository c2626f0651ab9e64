using System.Globalization;

namespace Epsilon.Actors.Io.Tcp;

/// <summary>
/// The listen backlog a <c>Tcp.Bind</c> gets: its own (or <c>default-backlog</c> when it asks for
/// 0 or less), raised to <c>min-backlog</c>, capped at the kernel's <c>net.core.somaxconn</c>.
/// Pure: the kernel limit is an argument; <see cref="KernelLimit"/> reads it once per process.
/// </summary>
internal static class ListenBacklog
{
    private const string SomaxconnPath = "/proc/sys/net/core/somaxconn";
    private static readonly Lazy<int?> s_kernelLimit = new(() => ReadKernelLimit(SomaxconnPath));

    /// <summary>
    /// The backlog to pass to <c>listen</c> for a <c>Bind</c> that asked for <paramref name="requested"/>:
    /// at least 1, at least <see cref="EpsilonTcpSettings.MinBacklog"/>, at most <paramref name="kernelLimit"/> when known.
    /// </summary>
    /// With <paramref name="exact"/> (<see cref="TcpOptions.ExactBacklog"/>) a positive request is kept as it is, not raised.
    public static int Effective(int requested, EpsilonTcpSettings settings, int? kernelLimit, bool exact = false)
    {
        var backlog = requested > 0 ? requested : settings.DefaultBacklog;
        if (!exact || requested <= 0) backlog = Math.Max(backlog, settings.MinBacklog);
        if (kernelLimit is > 0 && backlog > kernelLimit.Value) backlog = kernelLimit.Value;
        return Math.Max(1, backlog);
    }

    /// <summary><c>net.core.somaxconn</c> where <c>/proc</c> has it (Linux), else null; read once per process.</summary>
    public static int? KernelLimit => s_kernelLimit.Value;

    /// <summary>Parses the number in <paramref name="path"/>; null when the file is missing or holds no positive number.</summary>
    internal static int? ReadKernelLimit(string path)
    {
        try
        {
            return File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
