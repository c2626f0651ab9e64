using System.Globalization;
using System.Text;
using Epsilon.Actors.Http.Http1.Parsing;

namespace Epsilon.Actors.Tests.Http.Http1.Parsing;

/// <summary>One request as a test handler saw it.</summary>
public sealed class RecordedRequest
{
    internal Http1Method Method { get; set; }

    public string MethodToken { get; set; } = "";

    public string Target { get; set; } = "";

    internal Http1RequestTargetForm Form { get; set; }

    internal Http1Version Version { get; set; }

    public List<(string Name, string Value)> Headers { get; } = [];

    internal Http1RequestHead? Head { get; set; }

    public MemoryStream Body { get; } = new();

    public List<(string Name, string Value)> Trailers { get; } = [];

    public bool Complete { get; set; }

    public string BodyText => Encoding.Latin1.GetString(Body.ToArray());

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"[{MethodToken} {Method} {Target} {Form} {Version}");
        foreach (var (n, v) in Headers) sb.Append(CultureInfo.InvariantCulture, $" h({n}:{v})");
        if (Head is { } h) sb.Append(CultureInfo.InvariantCulture, $" head({h.Framing},{h.ContentLength},{h.Connection},{h.Expect},{h.HasUpgradeHeader})");
        sb.Append(CultureInfo.InvariantCulture, $" body({BodyText})");
        foreach (var (n, v) in Trailers) sb.Append(CultureInfo.InvariantCulture, $" t({n}:{v})");
        if (Complete) sb.Append(" complete");
        return sb.Append(']').ToString();
    }
}
