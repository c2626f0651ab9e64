using Xunit.Abstractions;

namespace Epsilon.Actors.Tests.Io.Udp;

/// <summary>The UDP contract on the portable backend.</summary>
public sealed class PortableUdpTests(ITestOutputHelper output) : UdpContractTests("portable", "edge", output);
