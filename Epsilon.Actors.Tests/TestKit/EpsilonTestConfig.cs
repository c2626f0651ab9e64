namespace Epsilon.Actors.Tests.TestKit;

/// <summary>Actor-system configuration for tests of one backend.</summary>
public static class EpsilonTestConfig
{
    /// <summary>The backends every contract suite runs against, as (backend, epoll trigger).</summary>
    public static string For(string backend, string trigger = "edge", string extra = "") => $$"""
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        akka.test.timefactor = 1
        akka.log-dead-letters = off
        epsilon.io {
          backend = {{backend}}
          epoll-trigger = {{trigger}}
          event-loops = 2
          tcp {
            register-timeout = 2s
          }
        }
        {{extra}}
        """;
}
