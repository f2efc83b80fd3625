using NanoBanana.Billing.Contracts.V1;

namespace NanoBanana.Billing.Domain;

/// <summary>User-facing billing texts in Russian (default) and English.</summary>
internal static class Texts
{
    public static bool IsEnglish(string? language) => language is not null && language.StartsWith("en", StringComparison.OrdinalIgnoreCase);

    public static string Pick(string? language, string ru, string en) => IsEnglish(language) ? en : ru;

    public static string Describe(EntryKind kind, string? language) => kind switch
    {
        EntryKind.TopUp => Pick(language, "Пополнение баланса", "Balance top-up"),
        EntryKind.WelcomeBonus => Pick(language, "Приветственный бонус", "Welcome bonus"),
        EntryKind.ReferralReward => Pick(language, "Награда за приглашённого друга", "Referral reward"),
        EntryKind.ReferralBonus => Pick(language, "Бонус за первое пополнение по приглашению", "Referral bonus on your first top-up"),
        EntryKind.Promo => Pick(language, "Промокод", "Promo code"),
        EntryKind.DailyReward => Pick(language, "Ежедневная награда", "Daily reward"),
        EntryKind.Refund => Pick(language, "Возврат кредитов", "Credits refunded"),
        EntryKind.AdminGrant => Pick(language, "Начисление от поддержки", "Granted by support"),
        EntryKind.AdminDebit => Pick(language, "Списание поддержкой", "Debited by support"),
        EntryKind.Hold => Pick(language, "Резерв на генерацию", "Reserved for a generation"),
        EntryKind.Capture => Pick(language, "Оплата генерации", "Generation charge"),
        EntryKind.Release => Pick(language, "Резерв возвращён", "Reservation returned"),
        EntryKind.TopUpRefund => Pick(language, "Возврат платежа", "Payment refunded"),
        EntryKind.PlanCredits => Pick(language, "Кредиты тарифа за период", "Plan credits for the period"),
        EntryKind.PlanCreditsExpired => Pick(language, "Кредиты тарифа сгорели", "Plan credits expired"),
        EntryKind.FreeAllowance => Pick(language, "Бесплатные кредиты на месяц", "Free monthly credits"),
        _ => Pick(language, "Операция", "Transaction"),
    };
}
