using System.Text;
using Epsilon.Actors.Http.Http2.Hpack;

namespace Epsilon.Actors.Tests.Http.Http2.Hpack;

/// <summary>RFC 7541 Appendix C: header blocks, the lists they decode to, and the table size after each.</summary>
internal static class HpackTestData
{
    private const string Date21 = "4d6f6e2c203231204f637420323031332032303a31333a323120474d54";
    private const string Date22 = "4d6f6e2c203231204f637420323031332032303a31333a323220474d54";
    private const string Location = "68747470733a2f2f7777772e6578616d706c652e636f6d";
    private const string Cookie = "666f6f3d4153444a4b48514b425a584f5157454f50495541585157454f49553b206d61782d6167653d333630303b2076657273696f6e3d31";

    public static readonly (string Name, string Value)[] Request1 = [(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com")];
    public static readonly (string Name, string Value)[] Request2 = [.. Request1, ("cache-control", "no-cache")];
    public static readonly (string Name, string Value)[] Request3 = [(":method", "GET"), (":scheme", "https"), (":path", "/index.html"), (":authority", "www.example.com"), ("custom-key", "custom-value")];
    public static readonly (string Name, string Value)[] Response1 = [(":status", "302"), ("cache-control", "private"), ("date", "Mon, 21 Oct 2013 20:13:21 GMT"), ("location", "https://www.example.com")];
    public static readonly (string Name, string Value)[] Response2 = [(":status", "307"), ("cache-control", "private"), ("date", "Mon, 21 Oct 2013 20:13:21 GMT"), ("location", "https://www.example.com")];
    public static readonly (string Name, string Value)[] Response3 =
    [
        (":status", "200"), ("cache-control", "private"), ("date", "Mon, 21 Oct 2013 20:13:22 GMT"), ("location", "https://www.example.com"),
        ("content-encoding", "gzip"), ("set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"),
    ];

    /// <summary>One example sequence: the table size setting, then each block with its list and the table size after it.</summary>
    public sealed record Sequence(string Section, int TableSize, (string Hex, (string Name, string Value)[] Fields, int SizeAfter)[] Blocks);

    public static readonly Sequence C3 = new("C.3", 4096,
    [
        ("828684410f7777772e6578616d706c652e636f6d", Request1, 57),
        ("828684be58086e6f2d6361636865", Request2, 110),
        ("828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565", Request3, 164),
    ]);

    public static readonly Sequence C4 = new("C.4", 4096,
    [
        ("828684418cf1e3c2e5f23a6ba0ab90f4ff", Request1, 57),
        ("828684be5886a8eb10649cbf", Request2, 110),
        ("828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf", Request3, 164),
    ]);

    public static readonly Sequence C5 = new("C.5", 256,
    [
        ("4803333032580770726976617465611d" + Date21 + "6e17" + Location, Response1, 222),
        ("4803333037c1c0bf", Response2, 222),
        ("88c1611d" + Date22 + "c05a04677a6970" + "7738" + Cookie, Response3, 215),
    ]);

    public static readonly Sequence C6 = new("C.6", 256,
    [
        ("488264025885aec3771a4b6196d07abe941054d444a8200595040b8166e082a62d1bff6e919d29ad171863c78f0b97c8e9ae82ae43d3", Response1, 222),
        ("4883640effc1c0bf", Response2, 222),
        ("88c16196d07abe941054d444a8200595040b8166e084a62d1bffc05a839bd9ab77ad94e7821dd7f2e6c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007", Response3, 215),
    ]);

    public static readonly Sequence[] All = [C3, C4, C5, C6];

    public static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", ""));

    /// <summary>Collects decoded fields as "name: value" lines.</summary>
    public struct Collector : IHpackHeaderHandler
    {
        public Collector()
        {
        }

        public List<(string Name, string Value)> Fields { get; } = [];

        public readonly void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
            Fields.Add((Encoding.Latin1.GetString(name), Encoding.Latin1.GetString(value)));
    }
}
