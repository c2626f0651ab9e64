using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Epsilon.Actors.Tests.TestKit;

/// <summary>
/// A plain loopback socket speaking HTTP/1.1 by hand, for the wire tests: send exact bytes, read
/// responses one at a time (head plus Content-Length or chunked body), or read until the server closes.
/// </summary>
public sealed class RawHttpConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly List<byte> _pending = [];

    public RawHttpConnection(int port, int receiveTimeoutMs = 20_000)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveTimeout = receiveTimeoutMs };
        _socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
    }

    public Socket Socket => _socket;

    public void Send(string text) => Send(Encoding.Latin1.GetBytes(text));

    public void Send(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty) bytes = bytes[_socket.Send(bytes)..];
    }

    /// <summary>One response: status code, header lines (lower-case names), body.</summary>
    public RawResponse ReadResponse(bool headRequest = false)
    {
        var head = ReadUntil("\r\n\r\n"u8);
        var text = Encoding.Latin1.GetString(head);
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var status = int.Parse(lines[0].Split(' ')[1]);
        var headers = new List<(string Name, string Value)>();
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            headers.Add((line[..colon].Trim().ToLowerInvariant(), line[(colon + 1)..].Trim()));
        }

        var response = new RawResponse(status, headers, []);
        if (headRequest || status is (>= 100 and < 200) or 204 or 304) return response;
        if (response.Header("content-length") is { } length) return response with { Body = ReadExactly(int.Parse(length)) };
        if (response.Header("transfer-encoding") is "chunked")
        {
            var body = new List<byte>();
            while (true)
            {
                var sizeLine = Encoding.ASCII.GetString(ReadUntil("\r\n"u8)).Trim();
                var size = Convert.ToInt32(sizeLine.Split(';')[0], 16);
                if (size == 0)
                {
                    ReadUntil("\r\n"u8);
                    break;
                }

                body.AddRange(ReadExactly(size));
                ReadExactly(2);
            }

            return response with { Body = [.. body] };
        }

        return response with { Body = ReadToEnd() };
    }

    /// <summary>True when the server closed (orderly or reset) within the timeout, with nothing more to read.</summary>
    public bool IsClosedByServer(int timeoutMs = 10_000)
    {
        if (_pending.Count > 0) return false;
        _socket.ReceiveTimeout = timeoutMs;
        try
        {
            var buffer = new byte[1];
            return _socket.Receive(buffer) == 0;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            return true;
        }
    }

    /// <summary>Exactly <paramref name="count"/> bytes (those already read past a response first), e.g. after a 101.</summary>
    public byte[] ReadBytes(int count) => ReadExactly(count);

    /// <summary>Stops sending (a FIN): the server sees the end of input.</summary>
    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    public byte[] ReadToEnd()
    {
        var all = new List<byte>(_pending);
        _pending.Clear();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = _socket.Receive(buffer)) > 0) all.AddRange(buffer.AsSpan(0, read));
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset)
        {
        }

        return [.. all];
    }

    public void Dispose() => _socket.Dispose();

    private byte[] ReadUntil(ReadOnlySpan<byte> delimiter)
    {
        var buffer = new byte[8192];
        while (true)
        {
            var index = IndexOf(_pending, delimiter);
            if (index >= 0)
            {
                var result = _pending.GetRange(0, index + delimiter.Length).ToArray();
                _pending.RemoveRange(0, index + delimiter.Length);
                return result;
            }

            var read = _socket.Receive(buffer);
            if (read == 0) throw new IOException($"the server closed the connection; {_pending.Count} bytes unparsed: {Encoding.Latin1.GetString([.. _pending])}");
            _pending.AddRange(buffer.AsSpan(0, read));
        }
    }

    private byte[] ReadExactly(int count)
    {
        var buffer = new byte[8192];
        while (_pending.Count < count)
        {
            var read = _socket.Receive(buffer);
            if (read == 0) throw new IOException("the server closed the connection inside a body");
            _pending.AddRange(buffer.AsSpan(0, read));
        }

        var result = _pending.GetRange(0, count).ToArray();
        _pending.RemoveRange(0, count);
        return result;
    }

    private static int IndexOf(List<byte> data, ReadOnlySpan<byte> pattern)
    {
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(data);
        return span.IndexOf(pattern);
    }
}

/// <summary>A response read by <see cref="RawHttpConnection"/>.</summary>
public sealed record RawResponse(int Status, List<(string Name, string Value)> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.FirstOrDefault(h => h.Name == name).Value;

    public string BodyText => Encoding.UTF8.GetString(Body);
}
