using Epsilon.Actors.Tests.TestKit;
using Xunit;

namespace Epsilon.Actors.Tests.Conformance.Proxies;

/// <summary>Epsilon's server behind HAProxy (<c>http-reuse always</c>, keep-alive both sides): see <see cref="HaproxyProxy"/>.</summary>
[Trait("Category", "Conformance")]
public sealed class HaproxyReverseProxyTests : ReverseProxyContract
{
    private protected override Task<ExternalServerProcess> StartProxyAsync(int upstreamPort) => HaproxyProxy.StartAsync(upstreamPort);
}
