using Epsilon.Actors.Io.Tcp;
using Xunit;

namespace Epsilon.Actors.Tests.Io.Tcp;

[Trait("Category", "Unit")]
public sealed class ListenBacklogTests
{
    private static readonly EpsilonTcpSettings s_defaults = new();

    [Theory]
    [InlineData(100, 4096)] // Akka's Bind default: raised to min-backlog
    [InlineData(1, 4096)]
    [InlineData(0, 4096)] // 0 or less: default-backlog
    [InlineData(-5, 4096)]
    [InlineData(10_000, 10_000)] // above min-backlog: kept
    public void Raises_every_Bind_backlog_to_min_backlog(int requested, int expected) =>
        Assert.Equal(expected, ListenBacklog.Effective(requested, s_defaults, kernelLimit: null));

    [Theory]
    [InlineData(100, 4096, 4096)]
    [InlineData(10_000, 4096, 4096)]
    [InlineData(10_000, 128, 128)]
    [InlineData(100, 65535, 4096)]
    public void Caps_the_backlog_at_the_kernel_limit(int requested, int kernelLimit, int expected) =>
        Assert.Equal(expected, ListenBacklog.Effective(requested, s_defaults, kernelLimit));

    [Theory]
    [InlineData(100, 100)]
    [InlineData(1, 1)]
    [InlineData(0, 4096)] // default-backlog still applies
    public void Min_backlog_zero_keeps_each_Bind_backlog_as_given(int requested, int expected) =>
        Assert.Equal(expected, ListenBacklog.Effective(requested, s_defaults with { MinBacklog = 0 }, kernelLimit: null));

    [Theory]
    [InlineData(77, 77)] // the HTTP server's listen-backlog, as configured
    [InlineData(100, 100)]
    [InlineData(0, 4096)] // no backlog asked: default-backlog, raised to min-backlog as usual
    public void ExactBacklog_keeps_a_positive_Bind_backlog_as_given(int requested, int expected)
    {
        Assert.Equal(expected, ListenBacklog.Effective(requested, s_defaults, kernelLimit: null, exact: true));
        Assert.True(TcpOptions.WantsExactBacklog([TcpOptions.ExactBacklog]));
        Assert.False(TcpOptions.WantsExactBacklog([TcpOptions.NoDelay(true)]));
    }

    [Fact]
    public void ExactBacklog_is_still_capped_at_the_kernel_limit() =>
        Assert.Equal(128, ListenBacklog.Effective(10_000, s_defaults, kernelLimit: 128, exact: true));

    [Fact]
    public void Default_backlog_is_used_for_zero_and_then_raised_to_min_backlog()
    {
        Assert.Equal(300, ListenBacklog.Effective(0, new EpsilonTcpSettings { DefaultBacklog = 300, MinBacklog = 0 }, null));
        Assert.Equal(500, ListenBacklog.Effective(0, new EpsilonTcpSettings { DefaultBacklog = 300, MinBacklog = 500 }, null));
    }

    [Fact]
    public void Reads_the_kernel_limit_from_a_file_and_ignores_a_missing_or_garbled_one()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "4096\n");
            Assert.Equal(4096, ListenBacklog.ReadKernelLimit(path));
            File.WriteAllText(path, "not a number");
            Assert.Null(ListenBacklog.ReadKernelLimit(path));
            File.WriteAllText(path, "0");
            Assert.Null(ListenBacklog.ReadKernelLimit(path));
        }
        finally
        {
            File.Delete(path);
        }

        Assert.Null(ListenBacklog.ReadKernelLimit(path));
    }

    [SkippableFact]
    public void Kernel_limit_is_the_proc_value_on_Linux()
    {
        Skip.IfNot(File.Exists("/proc/sys/net/core/somaxconn"), "no /proc/sys/net/core/somaxconn on this system");
        Assert.Equal(int.Parse(File.ReadAllText("/proc/sys/net/core/somaxconn").Trim(), System.Globalization.CultureInfo.InvariantCulture),
            ListenBacklog.KernelLimit);
    }
}
