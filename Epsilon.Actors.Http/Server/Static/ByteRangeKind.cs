namespace Epsilon.Actors.Http.Server.Static;

/// <summary>Kinds of <see cref="ByteRangeResult"/>.</summary>
internal enum ByteRangeKind
{
    /// <summary>200 with everything.</summary>
    Full,
    /// <summary>206 with one range.</summary>
    Partial,
    /// <summary>416.</summary>
    Unsatisfiable,
}
