namespace Epsilon.Actors.Http.Model;

/// <summary>
/// Thrown by <see cref="HttpEntity.ToStrictAsync"/> when an entity is longer than the allowed
/// maximum. The exception guard answers it with 413 Content Too Large.
/// </summary>
public sealed class EntityTooLargeException : Exception
{
    /// <summary>Creates the exception for a limit of <paramref name="maxBytes"/>.</summary>
    public EntityTooLargeException(long maxBytes)
        : base($"The entity is larger than the {maxBytes}-byte limit.") => MaxBytes = maxBytes;

    /// <summary>The limit that was exceeded.</summary>
    public long MaxBytes { get; }
}
