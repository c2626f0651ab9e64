using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Epsilon.Actors.Http.Http1;
using Epsilon.Actors.Http.Http1.Parsing;
using Epsilon.Actors.Http.Http1.Rendering;
using Epsilon.Actors.Http.Settings;
using Epsilon.Actors.Tests.Http.Http1.Parsing;

namespace Epsilon.Actors.Tests.Http.Http1.Interop;

/// <summary>
/// A test-only shell over the pure HTTP/1.1 core: blocking loopback sockets, one thread per
/// connection, the parser, the state machine and the writers, answering with what the
/// application function returns. It proves the core against real peers (HttpClient, curl) before
/// the GraphStage shell exists, and shows the call sequence that shell makes.
/// </summary>
internal sealed class BlockingHttp1Server : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly HttpServerSettings _settings;
    private readonly Func<RecordedRequest, TestResponse> _app;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<Socket> _connections = [];
    private int _accepted;

    public BlockingHttp1Server(Func<RecordedRequest, TestResponse> app, HttpServerSettings? settings = null)
    {
        _app = app;
        _settings = settings ?? new HttpServerSettings();
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
        new Thread(AcceptLoop) { IsBackground = true, Name = "http1-test-accept" }.Start();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    public int ConnectionsAccepted => Volatile.Read(ref _accepted);

    public void Dispose()
    {
        _listener.Dispose();
        lock (_connections)
        {
            foreach (var socket in _connections) socket.Dispose();
        }
    }

    private TimeSpan Now => _clock.Elapsed;

    private void AcceptLoop()
    {
        try
        {
            while (true)
            {
                var socket = _listener.Accept();
                Interlocked.Increment(ref _accepted);
                lock (_connections) _connections.Add(socket);
                new Thread(() => Serve(socket)) { IsBackground = true, Name = "http1-test-connection" }.Start();
            }
        }
        catch (ObjectDisposedException)
        {
        }
        catch (SocketException)
        {
        }
    }

    private void Serve(Socket socket)
    {
        socket.ReceiveTimeout = 20_000;
        using var parser = new Http1RequestParser(_settings);
        var machine = new Http1ServerStateMachine(_settings, Now);
        var connection = new Connection(socket);
        try
        {
            while (ServeOne(connection, parser, machine))
            {
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            connection.LingeringClose();
        }
    }

    /// <summary>One request and its response; false when the connection is done.</summary>
    private bool ServeOne(Connection connection, Http1RequestParser parser, Http1ServerStateMachine machine)
    {
        var handler = new RecordingHandler { Request = new RecordedRequest() };
        while (true)
        {
            if (connection.Buffered > 0) machine.OnHeadBytesReceived(Now);
            if (!Parse(connection, machine, (ref SequenceReader<byte> r) => parser.TryParseHead(ref r, ref handler), out var done)) return false;
            if (done) break;
            if (!connection.Receive())
            {
                machine.OnInputClosed(Now);
                return false;
            }
        }

        var decision = machine.OnRequestHead(handler.Request.Head!.Value, Now);
        if (decision.Action == Http1RequestAction.RespondExpectationFailed)
        {
            // With a body the machine closes after the 417; without one the parser finishes the empty body.
            if (!WriteServerAnswer(connection, machine, decision.Sequence)) return false;
            return SkipEmptyBody(connection, parser, machine, ref handler);
        }

        // A Content-Length above the limit is refused before 100 Continue could invite the body.
        if (!Parse(connection, machine, (ref SequenceReader<byte> _) =>
            {
                parser.StartBody();
                return true;
            }, out _))
            return false;

        if (machine.OnBodyReadRequested(Now))
        {
            var interim = new ArrayBufferWriter<byte>();
            Http1ResponseWriter.WriteContinue(interim);
            connection.Send(interim.WrittenSpan);
        }

        while (true)
        {
            var before = connection.Buffered;
            if (!Parse(connection, machine, (ref SequenceReader<byte> r) => parser.TryParseBody(ref r, ref handler), out var done)) return false;
            machine.OnBodyBytesReceived(before - connection.Buffered, Now);
            if (done) break;
            if (!connection.Receive())
            {
                machine.OnInputClosed(Now);
                return false;
            }
        }

        handler.Request.Complete = true;
        machine.OnRequestBodyComplete(Now);
        var response = _app(handler.Request);
        var plan = machine.OnResponseStart(decision.Sequence, response.Status, response.Chunked ? -1 : response.Body.Length, response.Close, Now);
        var output = new ArrayBufferWriter<byte>();
        Http1ResponseWriter.WriteResponseHead(output, plan);
        Http1ResponseWriter.WriteDate(output, connection.Date, DateTimeOffset.UtcNow);
        Http1ResponseWriter.WriteContentType(output, "text/plain"u8);
        Http1ResponseWriter.EndHead(output);
        if (plan.SendBody && plan.Framing == Http1BodyFraming.Chunked)
        {
            ChunkedBodyEncoder.WriteChunk(output, response.Body);
            ChunkedBodyEncoder.WriteLastChunk(output);
        }
        else if (plan.SendBody)
        {
            output.Write(response.Body);
        }

        connection.Send(output.WrittenSpan);
        return machine.OnResponseComplete(decision.Sequence, Now) == Http1ResponseOutcome.Continue;
    }

    private bool SkipEmptyBody(Connection connection, Http1RequestParser parser, Http1ServerStateMachine machine, ref RecordingHandler handler)
    {
        var reader = new SequenceReader<byte>(connection.Unread);
        parser.TryParseBody(ref reader, ref handler);
        connection.Consume(reader.Consumed);
        return machine.CanReadNextRequest;
    }

    private delegate bool ParseStep(ref SequenceReader<byte> reader);

    /// <summary>Runs a parser step over the buffered bytes; on a rejection answers it in turn and returns false.</summary>
    private bool Parse(Connection connection, Http1ServerStateMachine machine, ParseStep step, out bool done)
    {
        var reader = new SequenceReader<byte>(connection.Unread);
        try
        {
            done = step(ref reader);
        }
        catch (Http1Rejection rejection)
        {
            var sequence = machine.OnRejected(rejection.StatusCode, Now);
            if (sequence >= 0) WriteServerAnswer(connection, machine, sequence);
            done = false;
            return false;
        }

        connection.Consume(reader.Consumed);
        return true;
    }

    /// <summary>Writes the answer the server owes (417, 408, a rejection's status); true when the connection stays open.</summary>
    private bool WriteServerAnswer(Connection connection, Http1ServerStateMachine machine, long sequence)
    {
        var plan = machine.OnResponseStart(sequence, machine.ServerAnswerFor(sequence), 0, false, Now);
        var output = new ArrayBufferWriter<byte>();
        Http1ResponseWriter.WriteResponseHead(output, plan);
        Http1ResponseWriter.WriteDate(output, connection.Date, DateTimeOffset.UtcNow);
        Http1ResponseWriter.EndHead(output);
        connection.Send(output.WrittenSpan);
        return machine.OnResponseComplete(sequence, Now) == Http1ResponseOutcome.Continue;
    }

    private struct RecordingHandler : IHttp1RequestHandler
    {
        public RecordedRequest Request;

        public readonly void OnRequestLine(Http1RequestLine line)
        {
            Request.Method = line.Method;
            Request.MethodToken = Encoding.ASCII.GetString(line.MethodToken);
            Request.Target = Encoding.ASCII.GetString(line.Target);
            Request.Form = line.TargetForm;
            Request.Version = line.Version;
        }

        public readonly void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
            Request.Headers.Add((Encoding.Latin1.GetString(name), Encoding.Latin1.GetString(value)));

        public readonly void OnHeadersComplete(in Http1RequestHead head) => Request.Head = head;

        public readonly void OnBody(ReadOnlySpan<byte> data) => Request.Body.Write(data);

        public readonly void OnTrailer(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
            Request.Trailers.Add((Encoding.Latin1.GetString(name), Encoding.Latin1.GetString(value)));
    }

    /// <summary>A socket with a receive buffer whose unread part is <c>[_start, _end)</c>.</summary>
    private sealed class Connection(Socket socket)
    {
        private byte[] _buffer = new byte[16 * 1024];
        private int _start;
        private int _end;

        public DateHeaderCache Date { get; } = new();

        public int Buffered => _end - _start;

        public ReadOnlySequence<byte> Unread => new(_buffer, _start, _end - _start);

        public void Consume(long count) => _start += (int)count;

        public bool Receive()
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
            var read = socket.Receive(_buffer, _end, _buffer.Length - _end, SocketFlags.None);
            _end += read;
            return read > 0;
        }

        public void Send(ReadOnlySpan<byte> data)
        {
            while (!data.IsEmpty) data = data[socket.Send(data)..];
        }

        /// <summary>Half-closes, reads what the peer still sends (so unread input does not turn the close into a reset), then closes.</summary>
        public void LingeringClose()
        {
            try
            {
                socket.Shutdown(SocketShutdown.Send);
                socket.ReceiveTimeout = 2000;
                var sink = new byte[4096];
                while (socket.Receive(sink) > 0)
                {
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
            finally
            {
                socket.Dispose();
            }
        }
    }
}
