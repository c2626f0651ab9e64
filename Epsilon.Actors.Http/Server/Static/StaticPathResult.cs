namespace Epsilon.Actors.Http.Server.Static;

/// <summary>What <see cref="StaticPathResolver.Resolve"/> found: a kind and, for files and directories, the real path.</summary>
internal readonly record struct StaticPathResult(StaticPathKind Kind, string? FullPath)
{
    /// <summary>Nothing servable there: 404.</summary>
    public static StaticPathResult NotFound => new(StaticPathKind.NotFound, null);

    /// <summary>A malformed or hostile path: 400.</summary>
    public static StaticPathResult BadRequest => new(StaticPathKind.BadRequest, null);
}
