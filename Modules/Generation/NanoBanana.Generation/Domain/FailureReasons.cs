using NanoBanana.Generation.Contracts.V1;

namespace NanoBanana.Generation.Domain;

/// <summary>The user-facing sentence for each way a job can end badly; always says the credits are back.</summary>
internal static class FailureReasons
{
    public static LocalizedText For(FailureClass failureClass, long credits) => Texts.Both(
        failureClass switch
        {
            FailureClass.Safety => "failure.safety",
            FailureClass.Empty => "failure.empty",
            FailureClass.InvalidInput => "failure.invalid_input",
            FailureClass.Quota => "failure.quota",
            FailureClass.Timeout => "failure.timeout",
            FailureClass.Transient => "failure.transient",
            FailureClass.Cancelled => "failure.cancelled",
            _ => "failure.other",
        },
        credits);

    /// <summary>A restart hit the moment a request was being sent: resending could pay the provider twice, so the job ends and is refunded.</summary>
    public static LocalizedText Interrupted(long credits) => Texts.Both("failure.interrupted", credits);
}
