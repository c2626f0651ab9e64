using Xunit.Abstractions;

namespace Epsilon.Actors.Tests.Io.Tcp;

/// <summary>The TCP contract on the portable backend.</summary>
public sealed class PortableTcpTests(ITestOutputHelper output) : TcpContractTests("portable", "edge", output);
