namespace Epsilon.Actors.Http.Http1.Parsing;

/// <summary>The four forms of a request target (RFC 9112 §3.2).</summary>
internal enum Http1RequestTargetForm : byte
{
    /// <summary><c>/path?query</c> (§3.2.1): every method but CONNECT.</summary>
    Origin,

    /// <summary><c>http://host/path</c> (§3.2.2): every method but CONNECT; the server ignores Host for it.</summary>
    Absolute,

    /// <summary><c>host:port</c> (§3.2.3): CONNECT only, and CONNECT takes no other form.</summary>
    Authority,

    /// <summary><c>*</c> (§3.2.4): OPTIONS only.</summary>
    Asterisk,
}
