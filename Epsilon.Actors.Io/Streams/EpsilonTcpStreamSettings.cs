using Akka.Configuration;
using Epsilon.Actors.Settings;

namespace Epsilon.Actors.Io.Streams;

/// <summary>
/// Settings of the Akka.Streams TCP DSL (<c>epsilon.io.tcp-stream</c>). Immutable; change with
/// <c>with</c>, which validates. Every default here equals <c>reference.conf</c>'s. The socket
/// limits themselves (read size, write queue, register timeout) are the connection's:
/// <c>epsilon.io.tcp</c>.
/// </summary>
public sealed record EpsilonTcpStreamSettings
{
    private readonly TimeSpan _bindShutdownTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// After a binding is unbound (<c>ServerBinding.Unbind()</c> or cancellation of the connection
    /// source), how long the source waits for connections it has already emitted to be
    /// materialized before it completes; connections still not materialized then are reset.
    /// Akka.Streams uses its subscription timeout for this. Defaults to 5 s. Range 1 ms to 1 hour.
    /// </summary>
    public TimeSpan BindShutdownTimeout
    {
        get => _bindShutdownTimeout;
        init => _bindShutdownTimeout = SettingsGuard.InRange(value, TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1), "epsilon.io.tcp-stream.bind-shutdown-timeout");
    }

    /// <summary>The defaults of <c>reference.conf</c>.</summary>
    public static EpsilonTcpStreamSettings Default { get; } = FromConfig(EpsilonConfig.Section((Config?)null, "epsilon.io.tcp-stream"));

    /// <summary>
    /// These settings as the body of an <c>epsilon.io.tcp-stream</c> section, every key written,
    /// which <see cref="FromConfig"/> reads back to an equal value.
    /// </summary>
    public string ToHocon() => $"""
        bind-shutdown-timeout = {HoconValues.Duration(BindShutdownTimeout)}

        """;

    /// <summary>Reads the <c>epsilon.io.tcp-stream</c> section (the section itself, not the root).</summary>
    public static EpsilonTcpStreamSettings FromConfig(Config section) => new()
    {
        BindShutdownTimeout = section.GetTimeSpan("bind-shutdown-timeout", TimeSpan.FromSeconds(5)),
    };
}
