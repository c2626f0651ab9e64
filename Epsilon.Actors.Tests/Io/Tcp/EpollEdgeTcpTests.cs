using Xunit.Abstractions;

namespace Epsilon.Actors.Tests.Io.Tcp;

/// <summary>The TCP contract on the epoll backend (edge-triggered).</summary>
public sealed class EpollEdgeTcpTests(ITestOutputHelper output) : TcpContractTests("epoll", "edge", output);
