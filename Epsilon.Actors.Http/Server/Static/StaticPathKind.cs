namespace Epsilon.Actors.Http.Server.Static;

/// <summary>Kinds of <see cref="StaticPathResult"/>.</summary>
internal enum StaticPathKind
{
    /// <summary>A regular file under the root.</summary>
    File,
    /// <summary>A directory under the root (or the root).</summary>
    Directory,
    /// <summary>Missing, hidden, or a link leaving the root.</summary>
    NotFound,
    /// <summary>Malformed or traversal attempt.</summary>
    BadRequest,
}
