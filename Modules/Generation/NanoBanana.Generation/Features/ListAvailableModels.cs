using Ardalis.Result;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Security;
using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Generation.Contracts.V1;
using NanoBanana.Generation.Domain;
using NanoBanana.Generation.Providers;

namespace NanoBanana.Generation.Features;

/// <summary>
/// The active Catalog models this deployment can run, in Catalog order. In Production a model whose
/// provider has no credentials is left out; Offline, the Sandbox stands in for it (flagged).
/// </summary>
internal sealed class ListAvailableModels(UseCaseSender sender, ProviderRegistry providers) : IUseCaseHandler<ListAvailableModelsRequest, ListAvailableModelsResponse>
{
    public async Task<Result<ListAvailableModelsResponse>> Handle(ListAvailableModelsRequest request, CancellationToken cancellationToken)
    {
        var listed = await sender.SendAsync(Principal.Module, new ListModelsRequest(), cancellationToken);
        if (!listed.IsSuccess)
        {
            return listed.ToFailure();
        }

        var response = new ListAvailableModelsResponse { Mode = providers.Mode.ToString() };
        foreach (var model in listed.Value.Models)
        {
            if (providers.EngineFor(model.Provider) is { } engine)
            {
                response.Models.Add(new AvailableModel { Slug = model.Slug, Sandbox = engine == Engine.Sandbox && model.Provider != Provider.Sandbox });
            }
        }

        return response;
    }
}
