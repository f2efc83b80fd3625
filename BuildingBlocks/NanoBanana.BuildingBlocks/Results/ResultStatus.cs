namespace NanoBanana.BuildingBlocks.Results;

/// <summary>Outcome of a use case; the gRPC layer maps each to a status code.</summary>
public enum ResultStatus
{
    Ok,
    Error,
    Invalid,
    NotFound,
    Unauthorized,
    Forbidden,
    Conflict,
    Unavailable,
}
