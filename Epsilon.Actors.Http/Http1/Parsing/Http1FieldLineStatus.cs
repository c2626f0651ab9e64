namespace Epsilon.Actors.Http.Http1.Parsing;

/// <summary>What <see cref="Http1FieldSection.TryReadField"/> found.</summary>
internal enum Http1FieldLineStatus : byte
{
    /// <summary>The rest of the line has not arrived; nothing was consumed.</summary>
    NeedMoreData,

    /// <summary>A field line was consumed; its name and value are set.</summary>
    Field,

    /// <summary>The empty line ending the section was consumed.</summary>
    End,
}
