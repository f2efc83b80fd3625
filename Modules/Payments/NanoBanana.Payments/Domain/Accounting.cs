using System.ComponentModel.DataAnnotations;

namespace NanoBanana.Payments.Domain;

/// <summary>Per-method provider fee and tax rates, in percent of the gross amount.</summary>
internal sealed class AccountingOptions
{
    /// <summary>YooKassa's commission on cards/SBP (2.8 % by default).</summary>
    [Range(0.0, 100.0)]
    public decimal YooKassaFeePercent { get; set; } = 2.8m;

    [Range(0.0, 100.0)]
    public decimal StarsFeePercent { get; set; }

    [Range(0.0, 100.0)]
    public decimal SandboxFeePercent { get; set; }

    /// <summary>Professional income tax (NPD, 4 % on payments from individuals).</summary>
    [Range(0.0, 100.0)]
    public decimal TaxPercent { get; set; } = 4m;

    /// <summary>Stars income is taxed when withdrawn, not per order, unless configured.</summary>
    public bool TaxStars { get; set; }
}

/// <summary>Rounds fees and taxes half away from zero on the minor unit.</summary>
internal sealed class Accounting(AccountingOptions options)
{
    public long FeeOf(OrderMethod method, long amountMinor) => Percent(amountMinor, method switch
    {
        OrderMethod.YooKassa => options.YooKassaFeePercent,
        OrderMethod.Stars => options.StarsFeePercent,
        _ => options.SandboxFeePercent,
    });

    public long TaxOf(OrderMethod method, long amountMinor) => method switch
    {
        OrderMethod.Stars when !options.TaxStars => 0,
        OrderMethod.Sandbox => 0,
        _ => Percent(amountMinor, options.TaxPercent),
    };

    private static long Percent(long amountMinor, decimal percent) =>
        (long)Math.Round(amountMinor * percent / 100m, MidpointRounding.AwayFromZero);
}
