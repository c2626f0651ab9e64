using Epsilon.Actors.Tests.TestKit;
using Xunit;

namespace Epsilon.Actors.Tests.Conformance.Proxies;

/// <summary>Epsilon's server behind nginx (upstream keep-alive, HTTP/1.1, unbuffered bodies): see <see cref="NginxProxy"/>.</summary>
[Trait("Category", "Conformance")]
public sealed class NginxReverseProxyTests : ReverseProxyContract
{
    private protected override Task<ExternalServerProcess> StartProxyAsync(int upstreamPort) => NginxProxy.StartAsync(upstreamPort);
}
