using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using Npgsql;

namespace NanoBanana.Host;

/// <summary>
/// Start-up failures that are the machine's or the configuration's, not a bug: printed as one sentence
/// saying what to do, without a stack trace. Anything else still crashes loudly.
/// </summary>
internal static class SetupProblem
{
    public static string? Describe(Exception exception) => exception switch
    {
        EmbeddedPostgresException postgres => postgres.Message,
        OptionsValidationException invalid => $"a setting is invalid: {invalid.Message}",
        AggregateException { InnerExceptions: var inner } when inner.All(e => e is OptionsValidationException) =>
            "settings are invalid: " + string.Join("; ", inner.Select(e => e.Message)),
        // The configuration binder's words for a value of the wrong type; they name the key ("… at 'Billing:WelcomeBonus' …").
        InvalidOperationException { Message: var message } when message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) =>
            $"a setting is invalid: {message}",
        IOException { InnerException: AddressInUseException } bind =>
            $"{bind.Message.TrimEnd('.')}: another program uses that port. Stop it, or pick other ports with " +
            "Kestrel__Endpoints__Grpc__Url and Kestrel__Endpoints__Http__Url (e.g. Kestrel__Endpoints__Http__Url=http://127.0.0.1:5100).",
        NpgsqlException database and not PostgresException =>
            $"PostgreSQL cannot be reached ({database.Message.TrimEnd('.')}): check ConnectionStrings:Postgres, or leave it empty for the private cluster.",
        _ => null,
    };

    public static int Report(string problem)
    {
        Console.Error.WriteLine($"NanoBanana cannot start: {problem}");
        return 1;
    }
}
