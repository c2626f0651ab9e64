using Xunit.Abstractions;

namespace Epsilon.Actors.Tests.Io.Streams;

/// <summary>Akka.Streams TCP on the epoll backend (edge-triggered).</summary>
public sealed class EpollEdgeEpsilonTcpStreamTests(ITestOutputHelper output) : EpsilonTcpStreamTests("epoll", "edge", output);
