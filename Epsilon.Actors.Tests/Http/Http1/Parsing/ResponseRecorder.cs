using System.Buffers;
using System.Globalization;
using System.Text;
using Epsilon.Actors.Http.Http1.Parsing;
using Epsilon.Actors.Tests.TestKit;

namespace Epsilon.Actors.Tests.Http.Http1.Parsing;

/// <summary>A fresh <see cref="Http1ResponseParser"/> plus everything its handler saw, for responses to one request method.</summary>
public sealed class ResponseRecorder : IIncrementalSession, IDisposable
{
    private readonly Http1ResponseParser _parser = new();
    private readonly Http1Method _requestMethod;

    internal ResponseRecorder(Http1Method requestMethod = Http1Method.Get) => _requestMethod = requestMethod;

    public List<RecordedResponse> Responses { get; } = [];

    internal Http1Rejection? Rejection { get; private set; }

    public bool Failed => Rejection is not null;

    public string Transcript => string.Concat(Responses) + (Rejection is { } r ? $"|rejected {r.Reason}" : "");

    internal static ResponseRecorder Parse(string response, Http1Method requestMethod = Http1Method.Get) =>
        Parse(Encoding.Latin1.GetBytes(response), requestMethod);

    internal static ResponseRecorder Parse(byte[] response, Http1Method requestMethod = Http1Method.Get) =>
        SplitEverywhere.Run(response, () => new ResponseRecorder(requestMethod));

    public long Feed(ReadOnlySequence<byte> buffered)
    {
        if (Failed) return 0;
        var reader = new SequenceReader<byte>(buffered);
        var handler = new Handler { Owner = this };
        try
        {
            while (true)
            {
                if (!_parser.InBody)
                {
                    if (!_parser.TryParseHead(ref reader, ref handler, _requestMethod)) break;
                }
                else if (_parser.TryParseBody(ref reader, ref handler))
                {
                    Responses[^1].Complete = true;
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

    /// <summary>Tells the parser the input ended (completes a close-delimited body).</summary>
    public void EndOfInput()
    {
        if (_parser.CompleteAtEndOfInput()) Responses[^1].Complete = true;
    }

    public void Dispose() => _parser.Dispose();

    private struct Handler : IHttp1ResponseHandler
    {
        public ResponseRecorder Owner;

        public readonly void OnStatusLine(Http1Version version, int statusCode, ReadOnlySpan<byte> reasonPhrase) =>
            Owner.Responses.Add(new RecordedResponse { Version = version, StatusCode = statusCode, Reason = Encoding.Latin1.GetString(reasonPhrase) });

        public readonly void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
            Owner.Responses[^1].Headers.Add((Encoding.Latin1.GetString(name), Encoding.Latin1.GetString(value)));

        public readonly void OnHeadersComplete(in Http1ResponseHead head) => Owner.Responses[^1].Head = head;

        public readonly void OnBody(ReadOnlySpan<byte> data) => Owner.Responses[^1].Body.Write(data);

        public readonly void OnTrailer(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
            Owner.Responses[^1].Trailers.Add((Encoding.Latin1.GetString(name), Encoding.Latin1.GetString(value)));
    }
}
