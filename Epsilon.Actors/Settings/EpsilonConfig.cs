using Akka.Actor;
using Akka.Configuration;

namespace Epsilon.Actors.Settings;

/// <summary>
/// The product's defaults (<c>Resources/reference.conf</c>) and the way every extension reads its
/// section: the user's configuration first, these defaults beneath it.
/// </summary>
public static class EpsilonConfig
{
    private static readonly Lazy<Config> s_defaults = new(LoadDefaults);

    /// <summary>The whole <c>epsilon { … }</c> default configuration.</summary>
    public static Config Defaults => s_defaults.Value;

    /// <summary>
    /// Adds the defaults beneath <paramref name="system"/>'s configuration (once; later calls do
    /// nothing) and returns the section at <paramref name="path"/>, such as <c>epsilon.io</c>.
    /// </summary>
    public static Config Section(ActorSystem system, string path)
    {
        system.Settings.InjectTopLevelFallback(Defaults);
        return system.Settings.Config.GetConfig(path) ?? Defaults.GetConfig(path);
    }

    /// <summary>
    /// Returns <paramref name="path"/> from <paramref name="config"/> with the defaults beneath it,
    /// for settings built without an actor system.
    /// </summary>
    public static Config Section(Config? config, string path)
    {
        var merged = config is null ? Defaults : config.WithFallback(Defaults);
        return merged.GetConfig(path);
    }

    private static Config LoadDefaults()
    {
        using var stream = typeof(EpsilonConfig).Assembly.GetManifestResourceStream("Epsilon.Actors.reference.conf")
            ?? throw new InvalidOperationException("Epsilon.Actors.reference.conf is missing from the assembly");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }
}
