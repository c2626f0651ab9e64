using Akka.IO;

namespace Epsilon.Actors.Io.Tls;

/// <summary>
/// What a <see cref="TlsEngine"/> reports to its shell. The engine's work completes on thread-pool
/// threads; it posts one of these records, and the shell (the stream stage through its async
/// callback, the connection actor through its mailbox) handles it on its own thread. Records with
/// payloads print sizes, not bytes.
/// </summary>
internal static class TlsMessages
{
    /// <summary>SslStream waits for ciphertext from the network: pull (or resume reading) once.</summary>
    public sealed record CiphertextWanted
    {
        public static readonly CiphertextWanted Instance = new();

        private CiphertextWanted()
        {
        }
    }

    /// <summary>Ciphertext for the network; the shell calls <see cref="TlsEngine.CiphertextTaken"/> once it has passed it on.</summary>
    public sealed record CiphertextOut(ByteString Bytes)
    {
        public override string ToString() => $"CiphertextOut({Bytes.Count} bytes)";
    }

    /// <summary>The handshake completed.</summary>
    public sealed record HandshakeDone(TlsSessionInfo Session);

    /// <summary>One plaintext read completed (answer to <see cref="TlsEngine.ReadPlaintext"/>).</summary>
    public sealed record PlaintextIn(ByteString Bytes)
    {
        public override string ToString() => $"PlaintextIn({Bytes.Count} bytes)";
    }

    /// <summary>The peer closed its sending side cleanly (close_notify, or a truncation that is allowed).</summary>
    public sealed record PlaintextEnded
    {
        public static readonly PlaintextEnded Instance = new();

        private PlaintextEnded()
        {
        }
    }

    /// <summary>The last <see cref="TlsEngine.WritePlaintext"/> is encrypted and handed on: the next may follow.</summary>
    public sealed record PlaintextWritten
    {
        public static readonly PlaintextWritten Instance = new();

        private PlaintextWritten()
        {
        }
    }

    /// <summary>Our close_notify is handed on: the network's sending side may be closed.</summary>
    public sealed record ShutdownDone
    {
        public static readonly ShutdownDone Instance = new();

        private ShutdownDone()
        {
        }
    }

    /// <summary>The engine failed; it reports nothing after this.</summary>
    public sealed record EngineFailed(TlsException Error);

    /// <summary>The actor adapter's handshake timer.</summary>
    public sealed record HandshakeTimedOut
    {
        public static readonly HandshakeTimedOut Instance = new();

        private HandshakeTimedOut()
        {
        }
    }

    /// <summary>The ack the actor adapter asks its TCP connection for on each ciphertext write.</summary>
    public sealed class CipherAck : Akka.IO.Tcp.Event
    {
        public static readonly CipherAck Instance = new();

        private CipherAck()
        {
        }
    }
}
