using Xunit.Abstractions;

namespace Epsilon.Actors.Tests.Io.Streams;

/// <summary>Akka.Streams TCP on the portable backend.</summary>
public sealed class PortableEpsilonTcpStreamTests(ITestOutputHelper output) : EpsilonTcpStreamTests("portable", "edge", output);
