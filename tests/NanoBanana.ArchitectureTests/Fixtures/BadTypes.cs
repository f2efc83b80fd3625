using Ardalis.Result;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace NanoBanana.ArchitectureTests.Fixtures;

// Known-bad shapes: public, unsealed handler / validator / DbContext that the rules must reject.
public class PublicUnsealedHandler : IRequestHandler<PublicUnsealedRequest, Result<string>>
{
    public Task<Result<string>> Handle(PublicUnsealedRequest request, CancellationToken cancellationToken) => Task.FromResult(Result<string>.Success("bad"));
}

public sealed class PublicUnsealedRequest : IRequest<Result<string>>;

public class PublicValidator : AbstractValidator<PublicUnsealedRequest>;

public class PublicDbContext : DbContext;

// A public type nested in an internal one is public to the rules too (GetExportedTypes would miss it).
internal sealed class InternalOuter
{
    public sealed class PublicNested;
}
