using Ardalis.Result;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Users.Contracts.V1;
using NanoBanana.Users.Persistence;

namespace NanoBanana.Users.Features;

/// <summary>Records from <c>my_chat_member</c> whether the user blocked the bot (so broadcasts skip them).</summary>
internal sealed class RecordChatMemberStatus(UsersDbContext db) : IUseCaseHandler<RecordChatMemberStatusRequest, RecordChatMemberStatusResponse>
{
    public async Task<Result<RecordChatMemberStatusResponse>> Handle(RecordChatMemberStatusRequest request, CancellationToken cancellationToken)
    {
        var updated = await db.Users.Where(u => u.Id == request.UserId)
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.BlockedBot, request.BlockedBot), cancellationToken);
        return updated == 0
            ? Result<RecordChatMemberStatusResponse>.NotFound($"User {request.UserId} is not known.")
            : new RecordChatMemberStatusResponse();
    }
}

internal sealed class RecordChatMemberStatusValidator : AbstractValidator<RecordChatMemberStatusRequest>
{
    public RecordChatMemberStatusValidator() => RuleFor(r => r.UserId).GreaterThan(0);
}
