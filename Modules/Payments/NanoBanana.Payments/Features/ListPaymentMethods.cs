using Ardalis.Result;
using Microsoft.Extensions.Options;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.Payments.Contracts.V1;
using NanoBanana.Payments.Providers.Stars;
using NanoBanana.Payments.Providers.YooKassa;

namespace NanoBanana.Payments.Features;

/// <summary>The configured methods, Stars first (Telegram requires Stars to be offered for digital goods).</summary>
internal sealed class ListPaymentMethods(ITelegramPayments telegram, IOptions<YooKassaOptions> yooKassa, IOptions<PaymentsOptions> options)
    : IUseCaseHandler<ListPaymentMethodsRequest, ListPaymentMethodsResponse>
{
    public Task<Result<ListPaymentMethodsResponse>> Handle(ListPaymentMethodsRequest request, CancellationToken cancellationToken)
    {
        var response = new ListPaymentMethodsResponse();
        if (telegram.IsConfigured)
        {
            response.Methods.Add(PaymentMethod.Stars);
        }

        if (yooKassa.Value.IsConfigured)
        {
            response.Methods.Add(PaymentMethod.Yookassa);
        }

        if (options.Value.SandboxEnabled)
        {
            response.Methods.Add(PaymentMethod.Sandbox);
        }

        return Task.FromResult(Result<ListPaymentMethodsResponse>.Success(response));
    }
}
