using Xunit.Abstractions;

namespace Epsilon.Actors.Tests.Io.Tcp;

/// <summary>The TCP contract on the epoll backend (one-shot level-triggered).</summary>
public sealed class EpollLevelTcpTests(ITestOutputHelper output) : TcpContractTests("epoll", "level", output);
