using System.Globalization;
using Epsilon.Actors.Bench.Peers;

namespace Epsilon.Actors.Bench.Macro;

/// <summary>One metric of a table: its column title, how to format it, and which way is better.</summary>
internal sealed record Metric(string Key, string Title, string Format, bool HigherIsBetter);

/// <summary>The values measured per peer and metric over the rounds, and their markdown table.</summary>
internal sealed class Samples(IReadOnlyList<Metric> metrics)
{
    private readonly Dictionary<(PeerKind, string), List<double>> _values = new();
    private readonly Dictionary<PeerKind, List<string>> _failures = new();

    public void Add(PeerKind peer, IReadOnlyDictionary<string, double> values)
    {
        foreach (var (key, value) in values)
        {
            if (!_values.TryGetValue((peer, key), out var list)) _values[(peer, key)] = list = [];
            list.Add(value);
        }
    }

    public void Fail(PeerKind peer, string reason)
    {
        if (!_failures.TryGetValue(peer, out var list)) _failures[peer] = list = [];
        list.Add(reason);
    }

    private bool HasValues(PeerKind peer) => _values.Keys.Any(k => k.Item1 == peer);

    public double Median(PeerKind peer, string key)
    {
        if (!_values.TryGetValue((peer, key), out var list) || list.Count == 0) return double.NaN;
        var sorted = list.Where(v => !double.IsNaN(v)).OrderBy(v => v).ToArray();
        if (sorted.Length == 0) return double.NaN;
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>
    /// Markdown: one row per peer with median (min–max) per metric, then the ratio of
    /// <paramref name="subject"/> to each other peer (subject ÷ peer, per metric).
    /// </summary>
    public string ToMarkdown(IReadOnlyList<PeerKind> peers, PeerKind subject)
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine("| peer | " + string.Join(" | ", metrics.Select(m => m.Title)) + " |");
        sb.AppendLine("|---|" + string.Concat(metrics.Select(_ => "---:|")));
        foreach (var peer in peers)
        {
            if (!HasValues(peer))
            {
                var why = _failures.TryGetValue(peer, out var list) ? list[^1] : "no result";
                sb.AppendLine($"| {peer.Name()} | failed: {why.Replace('|', '/')} |" + string.Concat(metrics.Skip(1).Select(_ => " |")));
                continue;
            }

            sb.Append("| ").Append(peer.Name());
            if (_failures.TryGetValue(peer, out var failed)) sb.Append($" ({failed.Count} round{(failed.Count == 1 ? "" : "s")} failed)");
            sb.Append(" |");
            foreach (var m in metrics)
            {
                var list = _values.TryGetValue((peer, m.Key), out var l) ? l.Where(v => !double.IsNaN(v)).ToList() : [];
                sb.Append(' ');
                if (list.Count == 0) sb.Append('–');
                else
                {
                    sb.Append(Format(m, Median(peer, m.Key)));
                    if (list.Count > 1) sb.Append(" (").Append(Format(m, list.Min())).Append('–').Append(Format(m, list.Max())).Append(')');
                }

                sb.Append(" |");
            }

            sb.AppendLine();
        }

        foreach (var (peer, reasons) in _failures.Where(f => HasValues(f.Key)))
            sb.AppendLine().Append($"{peer.Name()}: {reasons.Count} round(s) failed: {reasons[^1].Replace('|', '/')}").AppendLine();

        var others = peers.Where(p => p != subject && HasValues(p)).ToList();
        if (others.Count > 0 && HasValues(subject))
        {
            sb.AppendLine();
            sb.AppendLine($"Ratios, {subject.Name()} ÷ peer (medians; " + string.Join(", ", metrics.Select(m => $"{m.Title}: {(m.HigherIsBetter ? "above 1 is better" : "below 1 is better")}")) + "):");
            sb.AppendLine();
            sb.AppendLine("| vs | " + string.Join(" | ", metrics.Select(m => m.Title)) + " |");
            sb.AppendLine("|---|" + string.Concat(metrics.Select(_ => "---:|")));
            foreach (var peer in others)
            {
                sb.Append("| ").Append(peer.Name()).Append(" |");
                foreach (var m in metrics)
                {
                    var ratio = Median(subject, m.Key) / Median(peer, m.Key);
                    sb.Append(' ').Append(double.IsFinite(ratio) ? ratio.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "–").Append(" |");
                }

                sb.AppendLine();
            }
        }

        return sb.ToString();
    }

    private static string Format(Metric m, double v) => v.ToString(m.Format, CultureInfo.InvariantCulture);
}
