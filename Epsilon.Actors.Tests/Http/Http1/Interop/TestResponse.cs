using System.Text;

namespace Epsilon.Actors.Tests.Http.Http1.Interop;

/// <summary>What the test application answers: status, body, whether to ask for close, whether to stream it chunked.</summary>
internal sealed record TestResponse(int Status, byte[] Body, bool Close = false, bool Chunked = false)
{
    public static TestResponse Text(string text, int status = 200, bool chunked = false) => new(status, Encoding.UTF8.GetBytes(text), Chunked: chunked);
}
