using Akka.Configuration;
using Akka.Hosting;
using Epsilon.Actors.Http.Settings;

namespace Epsilon.Actors.Http.Hosting;

/// <summary>
/// Akka.Hosting entry point for Epsilon's HTTP server settings: typed, validated settings instead
/// of HOCON text, for applications configured through <c>services.AddAkka(…)</c>.
/// </summary>
/// <remarks>
/// The method renders every key of <c>epsilon.http.server</c> and adds it with
/// <see cref="HoconAddMode.Prepend"/>, so it takes precedence over <c>reference.conf</c> and over
/// HOCON added to the builder before it; HOCON prepended after it wins. The settings passed to
/// <c>configure</c> are the <c>reference.conf</c> defaults. They become
/// <c>system.Http().ServerSettings</c>, the starting point of every server the system binds
/// (a server's own <c>WithSettings</c> still applies on top). Not thread-safe (like the builder).
/// </remarks>
public static class EpsilonHttpHostingExtensions
{
    /// <summary>
    /// Sets <c>epsilon.http.server</c> from <paramref name="configure"/> applied to the
    /// <c>reference.conf</c> defaults; without it, writes the defaults.
    /// </summary>
    /// <param name="builder">The Akka.Hosting builder.</param>
    /// <param name="configure">Returns the settings to use, typically <c>http =&gt; http with { … }</c>; validation happens in its <c>with</c>.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="configure"/> set a value out of range (thrown by the settings' <c>with</c>; the message names the key).</exception>
    public static AkkaConfigurationBuilder AddEpsilonHttp(this AkkaConfigurationBuilder builder, Func<HttpServerSettings, HttpServerSettings>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var defaults = new HttpServerSettings();
        var settings = configure is null ? defaults : configure(defaults);
        ArgumentNullException.ThrowIfNull(settings, nameof(configure));
        return builder.AddHocon(ToConfig(settings), HoconAddMode.Prepend);
    }

    /// <summary>The HOCON <see cref="AddEpsilonHttp"/> adds: <paramref name="settings"/> under <c>epsilon.http.server</c>.</summary>
    public static Config ToConfig(HttpServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return ConfigurationFactory.ParseString("epsilon.http.server {\n" + settings.ToHocon() + "}\n");
    }
}
