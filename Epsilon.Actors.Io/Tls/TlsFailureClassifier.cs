namespace Epsilon.Actors.Io.Tls;

/// <summary>
/// Names the cause of a failed handshake or session from what is known: the certificate check's
/// own finding, the first bytes the peer sent, whether the peer closed, and OpenSSL's error text
/// (the alert names of RFC 8446 §6 as OpenSSL spells them).
/// </summary>
internal static class TlsFailureClassifier
{
    /// <summary>The cause of a failed handshake.</summary>
    public static TlsException Handshake(Exception error, TlsException? refusal, TlsTransportStream transport)
    {
        if (refusal is not null) return new TlsException(refusal.Reason, StripPrefix(refusal), error);
        var first = transport.FirstByte;

        // RFC 8446 §5.1: a record starts with its content type, 20–23 (0x14–0x17); a handshake
        // starts with a handshake (22) or an alert (21) record.
        if (first >= 0 && first is not (0x15 or 0x16))
        {
            var text = transport.FirstBytesText;
            var looksHttp = text.StartsWith("GET ", StringComparison.Ordinal) || text.StartsWith("POST ", StringComparison.Ordinal)
                || text.StartsWith("HEAD ", StringComparison.Ordinal) || text.StartsWith("PUT ", StringComparison.Ordinal)
                || text.StartsWith("HTTP/", StringComparison.Ordinal) || text.StartsWith("PRI * ", StringComparison.Ordinal);
            return new TlsException(TlsFailureReason.NotTls,
                $"the peer's first bytes are not a TLS record{(looksHttp ? " (it looks like plaintext HTTP)" : "")}: \"{text}\" (first byte 0x{first:x2})", error);
        }

        var message = AllMessages(error);
        var reason = FromOpenSsl(message);
        if (reason is { } known) return new TlsException(known, Innermost(error), error);
        if (transport.EndDelivered || error is EndOfStreamException || message.Contains("unexpected eof", StringComparison.Ordinal)
            || message.Contains("0 bytes from the transport", StringComparison.Ordinal))
        {
            return new TlsException(TlsFailureReason.PeerClosed,
                first < 0 ? "the peer closed the connection without sending anything" : "the peer closed the connection during the handshake", error);
        }

        return new TlsException(TlsFailureReason.HandshakeFailed, Innermost(error), error);
    }

    /// <summary>The cause of a failure after the handshake.</summary>
    public static TlsException Session(Exception error, TlsTransportStream transport)
    {
        if (error is TlsException tls) return tls;
        if (FromOpenSsl(AllMessages(error)) is { } known) return new TlsException(known, "the peer sent an alert after the handshake: " + Innermost(error), error);
        if (transport.EndDelivered)
            return new TlsException(TlsFailureReason.Truncated, "the peer closed the connection in the middle of a TLS record", error);
        return new TlsException(TlsFailureReason.SessionFailed, Innermost(error), error);
    }

    /// <summary>The reason OpenSSL's text names, or null.</summary>
    public static TlsFailureReason? FromOpenSsl(string message)
    {
        if (message.Contains("certificate required", StringComparison.Ordinal) || message.Contains("peer did not return a certificate", StringComparison.Ordinal))
            return TlsFailureReason.CertificateMissing;
        if (message.Contains("alert bad certificate", StringComparison.Ordinal) || message.Contains("alert unknown ca", StringComparison.Ordinal)
            || message.Contains("alert certificate unknown", StringComparison.Ordinal) || message.Contains("alert certificate expired", StringComparison.Ordinal)
            || message.Contains("alert unsupported certificate", StringComparison.Ordinal) || message.Contains("alert certificate revoked", StringComparison.Ordinal))
            return TlsFailureReason.PeerRejectedCertificate;
        if (message.Contains("protocol version", StringComparison.Ordinal) || message.Contains("unsupported protocol", StringComparison.Ordinal)
            || message.Contains("wrong version number", StringComparison.Ordinal) || message.Contains("no protocols available", StringComparison.Ordinal)
            || message.Contains("version too low", StringComparison.Ordinal) || message.Contains("version too high", StringComparison.Ordinal))
            return TlsFailureReason.ProtocolVersion;
        if (message.Contains("no shared cipher", StringComparison.Ordinal) || message.Contains("no cipher match", StringComparison.Ordinal)
            || message.Contains("no ciphers available", StringComparison.Ordinal))
            return TlsFailureReason.NoSharedCipher;
        if (message.Contains("no application protocol", StringComparison.Ordinal))
            return TlsFailureReason.NoApplicationProtocol;
        return null;
    }

    /// <summary>The innermost exception's message (OpenSSL's own words are there).</summary>
    public static string Innermost(Exception error)
    {
        var e = error;
        while (e.InnerException is not null) e = e.InnerException;
        return e == error ? error.Message : $"{e.Message} ({error.Message})";
    }

    private static string AllMessages(Exception error)
    {
        var text = new System.Text.StringBuilder();
        for (var e = error; e is not null; e = e.InnerException) text.Append(e.Message).Append(" | ");
        return text.ToString().ToLowerInvariant();
    }

    private static string StripPrefix(TlsException refusal)
    {
        var colon = refusal.Message.IndexOf(": ", StringComparison.Ordinal);
        return colon < 0 ? refusal.Message : refusal.Message[(colon + 2)..];
    }
}
