using System.Globalization;
using System.Text;
using Epsilon.Actors.Http.Http1.Parsing;

namespace Epsilon.Actors.Tests.Http.Http1.Parsing;

/// <summary>One response as a test handler saw it.</summary>
public sealed class RecordedResponse
{
    internal Http1Version Version { get; set; }

    public int StatusCode { get; set; }

    public string Reason { get; set; } = "";

    public List<(string Name, string Value)> Headers { get; } = [];

    internal Http1ResponseHead? Head { get; set; }

    public MemoryStream Body { get; } = new();

    public List<(string Name, string Value)> Trailers { get; } = [];

    public bool Complete { get; set; }

    public string BodyText => Encoding.Latin1.GetString(Body.ToArray());

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"[{Version} {StatusCode} {Reason} {string.Join(",", Headers)} {Head} body({BodyText}) {string.Join(",", Trailers)} {Complete}]");
}
