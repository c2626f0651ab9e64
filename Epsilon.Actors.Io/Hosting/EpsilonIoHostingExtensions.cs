using Akka.Configuration;
using Akka.Hosting;
using Epsilon.Actors.Io.Streams;

namespace Epsilon.Actors.Io.Hosting;

/// <summary>
/// Akka.Hosting entry points for Epsilon's I/O settings: typed, validated settings instead of
/// HOCON text, for applications configured through <c>services.AddAkka(…)</c>.
/// </summary>
/// <remarks>
/// Each method renders the whole section it owns (every key) and adds it with
/// <see cref="HoconAddMode.Prepend"/>, so it takes precedence over <c>reference.conf</c> and over
/// HOCON added to the builder before it; HOCON prepended after it wins. The settings passed to
/// <c>configure</c> are the <c>reference.conf</c> defaults. The actor system reads the result when
/// <see cref="EpsilonIo"/> starts, so the values are those of
/// <c>EpsilonIo.For(system).Settings</c>. Not thread-safe (like the builder itself).
/// </remarks>
public static class EpsilonIoHostingExtensions
{
    /// <summary>
    /// Sets <c>epsilon.io</c> (event loops and the <c>tcp</c>, <c>udp</c> and <c>tls</c>
    /// subsections) from <paramref name="configure"/> applied to
    /// <see cref="EpsilonIoSettings.Default"/>; without it, writes the defaults.
    /// </summary>
    /// <param name="builder">The Akka.Hosting builder.</param>
    /// <param name="configure">Returns the settings to use, typically <c>io =&gt; io with { … }</c>; validation happens in its <c>with</c>.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="configure"/> set a value out of range (thrown by the settings' <c>with</c>; the message names the key).</exception>
    public static AkkaConfigurationBuilder AddEpsilonIo(this AkkaConfigurationBuilder builder, Func<EpsilonIoSettings, EpsilonIoSettings>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = configure is null ? EpsilonIoSettings.Default : configure(EpsilonIoSettings.Default);
        ArgumentNullException.ThrowIfNull(settings, nameof(configure));
        return builder.AddHocon(ToConfig(settings), HoconAddMode.Prepend);
    }

    /// <summary>
    /// Sets <c>epsilon.io.tcp-stream</c> (the Akka.Streams TCP DSL) from
    /// <paramref name="configure"/> applied to <see cref="EpsilonTcpStreamSettings.Default"/>.
    /// </summary>
    /// <param name="builder">The Akka.Hosting builder.</param>
    /// <param name="configure">Returns the settings to use; validation happens in its <c>with</c>.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static AkkaConfigurationBuilder AddEpsilonTcpStreams(this AkkaConfigurationBuilder builder, Func<EpsilonTcpStreamSettings, EpsilonTcpStreamSettings>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = configure is null ? EpsilonTcpStreamSettings.Default : configure(EpsilonTcpStreamSettings.Default);
        ArgumentNullException.ThrowIfNull(settings, nameof(configure));
        return builder.AddHocon(ToConfig(settings), HoconAddMode.Prepend);
    }

    /// <summary>The HOCON <see cref="AddEpsilonIo"/> adds: <paramref name="settings"/> under <c>epsilon.io</c>.</summary>
    public static Config ToConfig(EpsilonIoSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return ConfigurationFactory.ParseString("epsilon.io {\n" + settings.ToHocon() + "}\n");
    }

    /// <summary>The HOCON <see cref="AddEpsilonTcpStreams"/> adds: <paramref name="settings"/> under <c>epsilon.io.tcp-stream</c>.</summary>
    public static Config ToConfig(EpsilonTcpStreamSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return ConfigurationFactory.ParseString("epsilon.io.tcp-stream {\n" + settings.ToHocon() + "}\n");
    }
}
