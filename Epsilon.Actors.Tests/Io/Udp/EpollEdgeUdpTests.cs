using Xunit.Abstractions;

namespace Epsilon.Actors.Tests.Io.Udp;

/// <summary>The UDP contract on the epoll backend (edge-triggered).</summary>
public sealed class EpollEdgeUdpTests(ITestOutputHelper output) : UdpContractTests("epoll", "edge", output);
