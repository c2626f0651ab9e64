using Akka;
using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using Epsilon.Actors.Http.Server;
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

    /// <summary>
    /// Binds an HTTP server when the hosted actor system starts (an Akka.Hosting startup task, so
    /// the host's <c>StartAsync</c> waits for the bind and fails if it fails) and shuts it down
    /// gracefully in <see cref="CoordinatedShutdown"/>'s <c>service-unbind</c> phase, which the
    /// host's <c>StopAsync</c> runs: no new connections, requests in progress get up to
    /// <paramref name="shutdownDeadline"/>, then every connection is closed. The server uses
    /// <c>system.Http().ServerSettings</c> (see <see cref="AddEpsilonHttp"/>).
    /// </summary>
    /// <param name="builder">The Akka.Hosting builder.</param>
    /// <param name="host">An IP address (<c>0.0.0.0</c> for every IPv4 interface) or a name resolved at bind time.</param>
    /// <param name="port">0 to 65535; 0 picks a free port (read it in <paramref name="onBound"/>).</param>
    /// <param name="handler">Builds the handler once, at startup, from the system and the actor registry (for handlers that ask registered actors).</param>
    /// <param name="onBound">Called once with the binding after the bind succeeded; null: nothing.</param>
    /// <param name="shutdownDeadline">How long in-flight requests get at shutdown. Defaults to 5 s; keep it under the phase's timeout (<c>akka.coordinated-shutdown.phases.service-unbind.timeout</c>, 10 s by default).</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static AkkaConfigurationBuilder StartEpsilonHttpServer(
        this AkkaConfigurationBuilder builder,
        string host,
        int port,
        Func<ActorSystem, IActorRegistry, HttpHandler> handler,
        Action<HttpServerBinding>? onBound = null,
        TimeSpan? shutdownDeadline = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        ArgumentNullException.ThrowIfNull(handler);
        var deadline = shutdownDeadline ?? TimeSpan.FromSeconds(5);
        ArgumentOutOfRangeException.ThrowIfLessThan(deadline, TimeSpan.Zero, nameof(shutdownDeadline));
        return builder.AddStartup(async (system, registry) =>
        {
            var binding = await system.Http().NewServerAt(host, port).Bind(handler(system, registry)).ConfigureAwait(false);
            CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceUnbind, $"epsilon-http-{host}-{port}", async () =>
            {
                await binding.Terminate(deadline).ConfigureAwait(false);
                return Done.Instance;
            });
            onBound?.Invoke(binding);
        });
    }

    /// <summary>The HOCON <see cref="AddEpsilonHttp"/> adds: <paramref name="settings"/> under <c>epsilon.http.server</c>.</summary>
    public static Config ToConfig(HttpServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return ConfigurationFactory.ParseString("epsilon.http.server {\n" + settings.ToHocon() + "}\n");
    }
}
