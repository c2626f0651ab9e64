using System.Buffers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Akka.IO;

namespace Epsilon.Actors.Io.Tls;

/// <summary>
/// One TLS connection's <see cref="SslStream"/> driven without blocking a thread: the shell feeds
/// ciphertext in and passes ciphertext on (through <see cref="TlsTransportStream"/>), asks for one
/// plaintext read or write at a time, and receives every outcome as a <see cref="TlsMessages"/>
/// record through the <c>post</c> delegate (from pool threads; the shell marshals to its own).
/// Shared by <see cref="TlsStage"/> and <see cref="TlsConnectionActor"/>.
/// </summary>
/// <remarks>
/// Rules the shell keeps: at most one <see cref="ReadPlaintext"/> and one
/// <see cref="WritePlaintext"/> outstanding (SslStream allows one of each at once), neither before
/// <see cref="TlsMessages.HandshakeDone"/>; <see cref="Shutdown"/> only after the last write
/// completed; <see cref="Feed"/> after <see cref="TlsMessages.CiphertextWanted"/>, or ahead of it
/// while <see cref="WantsCiphertext"/>. After <see cref="TlsMessages.EngineFailed"/> or
/// <see cref="Abort"/> nothing more is posted. Each ciphertext write and each plaintext read
/// copies once into a new <c>ByteString</c> (SslStream reuses its buffers); a write waiting for
/// room and a read waiting for ciphertext each allocate one task source.
/// </remarks>
internal sealed class TlsEngine
{
    private readonly TlsClientOptions? _client;
    private readonly TlsServerOptions? _server;
    private readonly Action<object> _post;
    private readonly TlsTransportStream _transport;
    private readonly TlsSslStream _ssl;
    private readonly CancellationTokenSource _cancel = new();
    private readonly int _readBufferSize;
    private readonly object _gate = new();
    private int _stopped;
    private volatile bool _reading;
    private bool _shuttingDown;
    private bool _readDeferred;
    private bool _plaintextSeen;

    private TlsEngine(TlsClientOptions? client, TlsServerOptions? server, Action<object> post)
    {
        _client = client;
        _server = server;
        _post = post;
        _transport = new TlsTransportStream(Post);
        _ssl = new TlsSslStream(_transport);
        Settings = client?.Settings ?? server!.Settings;
        _readBufferSize = Settings.ReadBufferSize;
    }

    /// <summary>A client engine.</summary>
    public static TlsEngine Client(TlsClientOptions options, Action<object> post) => new(options, null, post);

    /// <summary>A server engine.</summary>
    public static TlsEngine Server(TlsServerOptions options, Action<object> post) => new(null, options, post);

    /// <summary>The settings of the options this engine was made with.</summary>
    public TlsSettings Settings { get; }

    /// <summary>True for the server role.</summary>
    public bool IsServer => _server is not null;

    /// <summary>Starts the handshake; <see cref="TlsMessages.HandshakeDone"/> or <see cref="TlsMessages.EngineFailed"/> follows.</summary>
    /// <remarks>
    /// Only the first step runs on the caller's thread (an event loop, for the server stage and
    /// the accepted adapter): for a server, a read that waits for the ClientHello (the shells
    /// start the engine before they feed any ciphertext); for a client, building its ClientHello.
    /// Every later step (the server's key exchange and signing, certificate checks) continues on a
    /// pool thread, because a read that waits for ciphertext resumes asynchronously. So a
    /// handshake's CPU never stalls the other connections of a loop. Queueing the first step to
    /// the pool as well was tried: 500 concurrent handshakes (TlsStageTests) then took 8–13 s
    /// instead of 4–5 s under load, so it is not done.
    /// </remarks>
    public void Start() => _ = HandshakeAsync();

    /// <summary>Ciphertext from the network.</summary>
    public void Feed(ByteString ciphertext) => _transport.Feed(ciphertext);

    /// <summary>True while the shell may read ciphertext ahead of SslStream (less than 64 KiB is buffered).</summary>
    public bool WantsCiphertext => _transport.WantsMore;

    /// <summary>The network's receiving side ended (the peer's FIN).</summary>
    public void FeedEnd() => _transport.FeedEnd();

    /// <summary>The oldest <see cref="TlsMessages.CiphertextOut"/> was passed on to the network.</summary>
    public void CiphertextTaken() => _transport.CiphertextTaken();

    /// <summary>Reads once: <see cref="TlsMessages.PlaintextIn"/>, <see cref="TlsMessages.PlaintextEnded"/> or a failure follows.</summary>
    public void ReadPlaintext()
    {
        lock (_gate)
        {
            if (_shuttingDown)
            {
                _readDeferred = true;
                return;
            }

            _reading = true;
        }

        _ = ReadAsync();
    }

    /// <summary>Encrypts <paramref name="plaintext"/>: <see cref="TlsMessages.PlaintextWritten"/> follows once all of it is handed on.</summary>
    public void WritePlaintext(ByteString plaintext) => _ = WriteAsync(plaintext);

    /// <summary>Sends close_notify: <see cref="TlsMessages.ShutdownDone"/> follows once it is handed on.</summary>
    public void Shutdown() => _ = ShutdownAsync();

    /// <summary>Stops at once: pending operations fail silently and nothing more is posted. Idempotent.</summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        _cancel.Cancel();
        _transport.Fail(new OperationCanceledException("TLS connection stopped"));
        _ssl.Dispose();
        _cancel.Dispose();
    }

    /// <summary>
    /// A TLS 1.3 client finishes its handshake before the server judges its certificate; a server
    /// that requires one and got none then closes (OpenSSL through .NET sends no alert, or an
    /// internal_error). The client cannot know that was the cause; when it has no certificate and
    /// the connection fails before any data, the message says it is the likely one.
    /// </summary>
    private TlsException WithCertificateHint(TlsException failure) =>
        _client is { ClientCertificate: null } && !_plaintextSeen && failure.Reason is TlsFailureReason.Truncated or TlsFailureReason.SessionFailed
            ? new TlsException(failure.Reason, failure.Message[(failure.Message.IndexOf(": ", StringComparison.Ordinal) + 2)..]
                + "; the server ended the connection right after the handshake, before any data: a TLS 1.3 server does this when it requires a client certificate and this client has none configured", failure.InnerException)
            : failure;

    private void Post(object message)
    {
        if (Volatile.Read(ref _stopped) == 0) _post(message);
    }

    private void Fail(TlsException error)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        _post(new TlsMessages.EngineFailed(error));
        _transport.Fail(error);
        _ssl.Dispose();
    }

    private async Task HandshakeAsync()
    {
        try
        {
            if (_client is not null)
            {
                await _ssl.AuthenticateAsClientAsync(_client.SslOptions, _cancel.Token).ConfigureAwait(false);
            }
            else
            {
                await _ssl.AuthenticateAsServerAsync(
                    static (_, hello, state, _) => new ValueTask<SslServerAuthenticationOptions>(((TlsServerOptions)state!).SslOptionsFor(hello.ServerName)),
                    _server, _cancel.Token).ConfigureAwait(false);
            }

            var alpn = _ssl.NegotiatedApplicationProtocol.Protocol;
            Post(new TlsMessages.HandshakeDone(new TlsSessionInfo(
                _ssl.SslProtocol,
                _ssl.NegotiatedCipherSuite,
                alpn.IsEmpty ? null : System.Text.Encoding.ASCII.GetString(alpn.Span),
                _client is not null ? _client.TargetHost : string.IsNullOrEmpty(_ssl.TargetHostName) ? null : _ssl.TargetHostName,
                _ssl.RemoteCertificate as X509Certificate2 ?? (_ssl.RemoteCertificate is { } c ? new X509Certificate2(c) : null),
                IsServer)));
        }
        catch (Exception ex)
        {
            if (Volatile.Read(ref _stopped) == 0) Fail(TlsFailureClassifier.Handshake(ex, _ssl.Refusal, _transport));
        }
    }

    private async Task ReadAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(_readBufferSize);
        try
        {
            var n = await _ssl.ReadAsync(buffer.AsMemory(0, _readBufferSize), _cancel.Token).ConfigureAwait(false);
            _reading = false;
            if (n > 0)
            {
                _plaintextSeen = true;
                Post(new TlsMessages.PlaintextIn(ByteString.FromBytes(buffer.AsSpan(0, n).ToArray())));
            }
            else if (_transport.EndDelivered && !Settings.AllowTruncation)
            {
                Fail(WithCertificateHint(new TlsException(TlsFailureReason.Truncated, "the peer closed the connection without a close_notify; the data may be incomplete")));
            }
            else
            {
                Post(TlsMessages.PlaintextEnded.Instance);
            }
        }
        catch (Exception ex)
        {
            _reading = false;
            if (Volatile.Read(ref _stopped) != 0) return;
            if (_transport.EndDelivered && Settings.AllowTruncation && ex is IOException)
            {
                // The peer's FIN cut a record short, and truncation is allowed: end the plaintext.
                Post(TlsMessages.PlaintextEnded.Instance);
                return;
            }

            Fail(WithCertificateHint(TlsFailureClassifier.Session(ex, _transport)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task WriteAsync(ByteString plaintext)
    {
        var size = plaintext.Count;
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var span = buffer.AsSpan(0, size);
            plaintext.CopyTo(ref span);
            await _ssl.WriteAsync(buffer.AsMemory(0, size), _cancel.Token).ConfigureAwait(false);
            Post(TlsMessages.PlaintextWritten.Instance);
        }
        catch (Exception ex)
        {
            if (Volatile.Read(ref _stopped) == 0) Fail(new TlsException(TlsFailureReason.SessionFailed, "writing failed: " + TlsFailureClassifier.Innermost(ex), ex));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task ShutdownAsync()
    {
        // OpenSSL's SSL object is not thread-safe, and .NET's SslStream lets a close_notify run
        // while a read decrypts on another thread (seen here as "bad record mac" from the
        // shutdown). So each attempt waits until no read is decrypting: none in flight, or the
        // one in flight parked in the transport, held there until the close_notify is out.
        //
        // OpenSSL also refuses SSL_shutdown while its state machine is "in init", which TLS 1.3
        // enters after the handshake while a post-handshake message (a NewSessionTicket) is half
        // read. That ends when the rest of the record arrives, so the transport is released, the
        // read goes on, and the shutdown is retried; a peer that never sends the rest gets no
        // close_notify, only the FIN.
        lock (_gate) _shuttingDown = true;
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                await QuietAsync().ConfigureAwait(false);
                try
                {
                    await _ssl.ShutdownAsync().ConfigureAwait(false);
                    Post(TlsMessages.ShutdownDone.Instance);
                    return;
                }
                catch (Exception ex)
                {
                    if (Volatile.Read(ref _stopped) != 0) return;
                    if (!TlsFailureClassifier.Innermost(ex).Contains("shutdown while in init", StringComparison.Ordinal))
                    {
                        Fail(new TlsException(TlsFailureReason.SessionFailed, "sending close_notify failed: " + TlsFailureClassifier.Innermost(ex), ex));
                        return;
                    }

                    if (attempt >= 50)
                    {
                        Post(TlsMessages.ShutdownDone.Instance);
                        return;
                    }
                }

                _transport.Release();
                await Task.Delay(10).ConfigureAwait(false);
            }
        }
        finally
        {
            _transport.Release();
            bool resume;
            lock (_gate)
            {
                _shuttingDown = false;
                resume = _readDeferred;
                _readDeferred = false;
                if (resume) _reading = true;
            }

            if (resume && Volatile.Read(ref _stopped) == 0) _ = ReadAsync();
        }
    }

    /// <summary>Returns with the transport held and no read decrypting.</summary>
    private async Task QuietAsync()
    {
        while (true)
        {
            _transport.Hold();
            if (!_reading || _transport.ReadPending) return;
            _transport.Release();
            await Task.Delay(1).ConfigureAwait(false);
        }
    }
}
