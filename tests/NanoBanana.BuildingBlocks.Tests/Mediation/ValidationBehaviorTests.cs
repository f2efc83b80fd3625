using Ardalis.Result;
using FluentValidation;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using NanoBanana.BuildingBlocks.Mediation;
using Xunit;

namespace NanoBanana.BuildingBlocks.Tests.Mediation;

/// <summary>The mediator pipeline: internal validators registered by FluentValidation's DI extension, failures as Invalid with proto field paths.</summary>
public sealed class ValidationBehaviorTests
{
    [Fact]
    public async Task A_request_failing_validation_is_Invalid_with_field_paths_and_never_reaches_the_handler()
    {
        await using var services = Services();
        await using var scope = services.CreateAsyncScope();

        var result = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new RenameModel { ModelSlug = "", DisplayName = "Imagen" });

        Assert.Equal(ResultStatus.Invalid, result.Status);
        var error = Assert.Single(result.ValidationErrors);
        Assert.Equal("model_slug", error.Identifier);
        Assert.Equal("NotEmptyValidator", error.ErrorCode);
        Assert.Equal(0, scope.ServiceProvider.GetRequiredService<HandlerCalls>().Count);
    }

    [Fact]
    public async Task A_valid_request_reaches_its_handler()
    {
        await using var services = Services();
        await using var scope = services.CreateAsyncScope();

        var result = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new RenameModel { ModelSlug = "imagen-4", DisplayName = "Imagen" });

        Assert.True(result.IsSuccess);
        Assert.Equal("imagen-4: Imagen", result.Value);
    }

    [Fact]
    public void Validators_are_registered_internal_ones_included()
    {
        using var services = Services();

        Assert.IsType<RenameModelValidator>(Assert.Single(services.GetServices<IValidator<RenameModel>>()));
    }

    [Theory]
    [InlineData("ModelSlug", "model_slug")]
    [InlineData("Spec.ReferenceImages[0].Data", "spec.reference_images[0].data")]
    public void Property_names_become_proto_field_paths(string propertyName, string fieldPath) =>
        Assert.Equal(fieldPath, ValidationBehavior<RenameModel, Result<string>>.ToFieldPath(propertyName));

    private static ServiceProvider Services()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddScoped<HandlerCalls>();
        services.AddMediationFrom(typeof(ValidationBehaviorTests).Assembly);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }
}

public sealed class RenameModel : IUseCase<string>
{
    public string ModelSlug { get; init; } = "";

    public string DisplayName { get; init; } = "";
}

internal sealed class HandlerCalls
{
    public int Count { get; set; }
}

internal sealed class RenameModelValidator : AbstractValidator<RenameModel>
{
    public RenameModelValidator() => RuleFor(r => r.ModelSlug).NotEmpty();
}

internal sealed class RenameModelHandler(HandlerCalls calls) : IUseCaseHandler<RenameModel, string>
{
    public Task<Result<string>> Handle(RenameModel request, CancellationToken cancellationToken)
    {
        calls.Count++;
        return Task.FromResult(Result<string>.Success($"{request.ModelSlug}: {request.DisplayName}"));
    }
}
