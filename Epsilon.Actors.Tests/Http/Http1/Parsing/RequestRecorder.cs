using System.Buffers;
using System.Globalization;
using System.Text;
using Epsilon.Actors.Http.Http1.Parsing;
using Epsilon.Actors.Http.Settings;
using Epsilon.Actors.Tests.TestKit;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Http1.Parsing;

/// <summary>A fresh <see cref="Http1RequestParser"/> plus everything its handler saw, reading head and body in a loop like the shell will.</summary>
public sealed class RequestRecorder : IIncrementalSession, IDisposable
{
    private readonly Http1RequestParser _parser;

    public RequestRecorder(HttpServerSettings? settings = null) => _parser = new Http1RequestParser(settings ?? new HttpServerSettings());

    public List<RecordedRequest> Requests { get; } = [];

    internal Http1Rejection? Rejection { get; private set; }

    public bool Failed => Rejection is not null;

    public int? RejectedWith => Rejection?.StatusCode;

    internal Http1RequestParserState State => _parser.State;

    public string Transcript
    {
        get
        {
            var sb = new StringBuilder();
            foreach (var r in Requests) sb.Append(r);
            if (Rejection is { } rejection) sb.Append(CultureInfo.InvariantCulture, $"|rejected {rejection.StatusCode} {rejection.Reason}");
            sb.Append(CultureInfo.InvariantCulture, $"|state={_parser.State}");
            return sb.ToString();
        }
    }

    public static RequestRecorder Parse(string request, HttpServerSettings? settings = null) =>
        SplitEverywhere.Run(Encoding.Latin1.GetBytes(request), () => new RequestRecorder(settings));

    public long Feed(ReadOnlySequence<byte> buffered)
    {
        if (Failed) return 0;
        var reader = new SequenceReader<byte>(buffered);
        var handler = new Handler { Owner = this };
        try
        {
            while (true)
            {
                if (_parser.State is Http1RequestParserState.RequestLine or Http1RequestParserState.Headers)
                {
                    if (!_parser.TryParseHead(ref reader, ref handler)) break;
                }
                else if (_parser.TryParseBody(ref reader, ref handler))
                {
                    Requests[^1].Complete = true;
                }
                else
                {
                    break;
                }
            }
        }
        catch (Http1Rejection rejection)
        {
            Rejection = rejection;
        }

        return reader.Consumed;
    }

    public void Dispose() => _parser.Dispose();

    private struct Handler : IHttp1RequestHandler
    {
        public RequestRecorder Owner;

        private readonly RecordedRequest Current => Owner.Requests[^1];

        public void OnRequestLine(Http1RequestLine line) => Owner.Requests.Add(new RecordedRequest
        {
            Method = line.Method,
            MethodToken = Encoding.Latin1.GetString(line.MethodToken),
            Target = Encoding.Latin1.GetString(line.Target),
            Form = line.TargetForm,
            Version = line.Version,
        });

        public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
            Current.Headers.Add((Encoding.Latin1.GetString(name), Encoding.Latin1.GetString(value)));

        public void OnHeadersComplete(in Http1RequestHead head) => Current.Head = head;

        public void OnBody(ReadOnlySpan<byte> data)
        {
            Assert.False(data.IsEmpty, "OnBody with no data");
            Current.Body.Write(data);
        }

        public void OnTrailer(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
            Current.Trailers.Add((Encoding.Latin1.GetString(name), Encoding.Latin1.GetString(value)));
    }
}
