namespace Epsilon.Actors.Http.Http1;

/// <summary>Whether the application's response may be written, per <see cref="Http1ServerStateMachine.CheckResponse"/>; anything but <see cref="Accept"/> is answered 500 and logged.</summary>
internal enum Http1ResponseVerdict : byte
{
    /// <summary>Write it (a final status, or a 101 that switches to a flow the request asked for).</summary>
    Accept,

    /// <summary>An interim status other than 101 (100, 102, 103 …): the server sends 100 Continue itself and no other interim response.</summary>
    RefuseInterim,

    /// <summary>A 101 without a flow to switch to: only <c>HttpResponse.Upgrade(protocol, flow)</c> answers 101.</summary>
    RefuseUpgradeWithoutFlow,

    /// <summary>A switch the request did not ask for: its <c>Upgrade</c> header does not list the protocol, <c>Connection</c> does not name <c>upgrade</c>, or it is HTTP/1.0 (RFC 9110 §7.8).</summary>
    RefuseUnrequestedUpgrade,

    /// <summary>A switch while the request's body is not completely read: the new protocol's bytes would start inside it.</summary>
    RefuseUpgradeBeforeBody,
}
