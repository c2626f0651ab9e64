namespace Epsilon.Actors.Http.Http2.Frames;

/// <summary>An RFC 7540 priority (PRIORITY frame, HEADERS with PRIORITY): parsed and, as RFC 9113 §5.3.2 allows, otherwise ignored.</summary>
/// <param name="Dependency">The stream depended on.</param>
/// <param name="Exclusive">The exclusive bit.</param>
/// <param name="Weight">The weight, 1 to 256.</param>
internal readonly record struct Http2Priority(int Dependency, bool Exclusive, int Weight);
