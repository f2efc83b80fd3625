using System.Collections.Concurrent;
using Ardalis.Result;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Options.V1;
using NanoBanana.Testing;
using NanoBanana.Users.Contracts.V1;
using NanoBanana.Users.Persistence;
using Xunit;

namespace NanoBanana.Users.Tests;

/// <summary>Talks to a real Host the way the transports do: sets the call's principal, sends through the mediator, authenticates metadata.</summary>
internal static class UsersHarness
{
    public static Dictionary<string, string?> Settings(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Telegram:BotToken"] = InitDataFactory.BotToken,
            ["Telegram:BotUsername"] = "nanobanana_test_bot",
            ["RateLimits:Public:PerSecond"] = "100000",
            ["RateLimits:Public:Burst"] = "100000",
            ["RateLimits:Internal:PerSecond"] = "100000",
            ["RateLimits:Internal:Burst"] = "100000",
            ["RateLimits:Anonymous:PerSecond"] = "100000",
            ["RateLimits:Anonymous:Burst"] = "100000",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    public static Task<Result<T>> SendAsync<T>(this TestHost host, IUseCase<T> request, Principal? principal = null) =>
        host.SendAsync(principal ?? Principal.Module, request);

    /// <summary>Authenticates as the gRPC transport does: through the Host's registered ICallAuthenticator.</summary>
    public static async Task<CallAuthentication> AuthenticateAsync(this TestHost host, string? authorization, MethodAccess access)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var metadata = new CallMetadata { RemoteAddress = "127.0.0.1" };
        if (authorization is not null)
        {
            metadata.Set("authorization", authorization);
        }

        return await scope.ServiceProvider.GetRequiredService<ICallAuthenticator>().AuthenticateAsync(metadata, access, scope.ServiceProvider, CancellationToken.None);
    }

    public static MethodAccess PublicAccess { get; } = new() { Level = AccessLevel.Public };

    public static MethodAccess InternalAccess(Role role) => new() { Level = AccessLevel.Internal, Role = role };

    public static async Task<User> UpsertAsync(this TestHost host, long id, string? startParameter = null)
    {
        var result = await host.SendAsync(new UpsertTelegramUserRequest
        {
            User = new TelegramUser { Id = id, FirstName = $"User{id}", Username = $"user{id}", LanguageCode = "en" },
            StartParameter = startParameter ?? "",
        });
        Assert.True(result.IsSuccess, string.Join("; ", result.Errors.Concat(result.ValidationErrors.Select(e => e.Identifier + ": " + e.ErrorMessage))));
        return result.Value.User;
    }

    public static async Task<(int ExitCode, string Output, string Error)> AdminAsync(this TestHost host, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await UsersModule.RunAdminCommandAsync(host.Services, args, output, error, CancellationToken.None);
        return (exit, output.ToString().Trim(), error.ToString());
    }

    public static async Task<string> CreateApiKeyAsync(this TestHost host, string name, string role)
    {
        var (exit, output, error) = await host.AdminAsync("create-api-key", "--name", name, "--role", role);
        Assert.True(exit == 0, error);
        return output;
    }

    /// <summary>The UserRegistered events in the outbox, decoded.</summary>
    public static async Task<List<UserRegistered>> RegisteredEventsAsync(this TestHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UsersDbContext>();
        var rows = await db.Set<OutboxMessage>().AsNoTracking().Where(m => m.Type == UserRegistered.Descriptor.FullName).ToListAsync();
        return [.. rows.Select(r => UserRegistered.Parser.ParseFrom(r.Payload))];
    }
}

/// <summary>A subscriber standing in for Billing: records every delivery it gets.</summary>
internal sealed class RecordingUserRegisteredHandler(DeliveredEvents delivered) : IIntegrationEventHandler<UserRegistered>
{
    public Task HandleAsync(UserRegistered integrationEvent, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        delivered.Add(context.EventId, integrationEvent);
        return Task.CompletedTask;
    }
}

internal sealed class DeliveredEvents : IDisposable
{
    private readonly ConcurrentQueue<(Guid EventId, UserRegistered Event)> _events = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public IReadOnlyList<(Guid EventId, UserRegistered Event)> All => [.. _events];

    public void Dispose() => _arrived.Dispose();

    public void Add(Guid eventId, UserRegistered integrationEvent)
    {
        _events.Enqueue((eventId, integrationEvent));
        _arrived.Release();
    }

    /// <summary>Waits for a delivery matching <paramref name="match"/>; a generous bound only to end a broken run.</summary>
    public async Task<UserRegistered> WaitForAsync(Func<UserRegistered, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (_events.FirstOrDefault(e => match(e.Event)) is { Event: not null } found)
            {
                return found.Event;
            }

            await _arrived.WaitAsync(timeout.Token);
        }
    }
}
