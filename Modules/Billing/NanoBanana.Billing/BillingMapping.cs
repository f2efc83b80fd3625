using Mapster;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.Billing.Ledger;

namespace NanoBanana.Billing;

/// <summary>
/// Entity → contract pairs of the Billing module (conventions: <see cref="BuildingBlocks.Mapping.ProtoMapping"/>).
/// The ledger's other messages are read straight from SQL rows (ADR 0040); only the locked account maps.
/// </summary>
internal sealed class BillingMapping : IRegister
{
    public void Register(TypeAdapterConfig config) => config.NewConfig<AccountState, Balance>();
}
