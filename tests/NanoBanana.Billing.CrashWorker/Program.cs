using System.Globalization;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using NanoBanana.Billing;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Testing;

// A Host running Billing that works through a fixed, numbered stream of keyed operations for one user and
// prints "done N" after each step. The crash test SIGKILLs it mid-stream and runs it again from step 0, as a
// client retrying every key would. Usage: <connection string> <user id> <steps>
var (connectionString, userId, steps) = (args[0], long.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture));
await using var host = await TestHost.StartAsync(connectionString, [new BillingModule()], new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Error" });

async Task<T> SendAsync<T>(IUseCase<T> request)
{
    var result = await host.SendAsync(Principal.Module, request);
    return result.IsSuccess ? result.Value : throw new InvalidOperationException(result.Describe());
}

for (var step = 0; step < steps; step++)
{
    await SendAsync(new CreditRequest { UserId = userId, Amount = (step % 7) + 2, Kind = EntryKind.TopUp, IdempotencyKey = $"crash:{userId}:credit:{step}" });
    var hold = await SendAsync(new ReserveRequest { UserId = userId, Amount = 1, IdempotencyKey = $"crash:{userId}:reserve:{step}", Purpose = "generation" });
    await SendAsync(new CaptureRequest { HoldId = hold.HoldId });
    Console.WriteLine($"done {step}");
}
