namespace NanoBanana.BuildingBlocks.Results;

/// <summary>A field-level error: <paramref name="Identifier"/> is the proto field path (e.g. <c>model.slug</c>).</summary>
public sealed record ValidationError(string Identifier, string ErrorMessage, string? ErrorCode = null);
