using Google.Protobuf.Reflection;
using NanoBanana.ArchitectureTests.Fixtures.V1;
using NanoBanana.BuildingBlocks.Modules;
using Xunit;

namespace NanoBanana.ArchitectureTests;

/// <summary>
/// Module boundaries: type rules in ArchUnitNET over the built assemblies (<see cref="TypeRules"/>),
/// descriptor and folder rules as plain functions over the compiled protos and the disk. Every rule
/// runs twice: on the product (must hold) and on a known-bad fixture (must be reported), so a rule
/// that silently stopped checking anything fails too.
/// </summary>
public sealed class ArchitectureRulesTests
{
    private static readonly IReadOnlyList<string> Modules = Architecture.ModuleFoldersOnDisk;

    public static TheoryData<string> ModuleNames() => [.. Architecture.ModuleFoldersOnDisk];

    [Fact]
    public void Modules_are_discovered_on_disk()
    {
        Assert.Contains("Catalog", Modules);
    }

    [Fact]
    public void Every_module_on_disk_is_run_by_the_host_and_nothing_else_is()
    {
        Assert.Empty(UncoveredModules(Modules, Architecture.HostModules));
    }

    [Fact]
    public void A_module_missing_from_the_host_is_reported()
    {
        var violations = UncoveredModules([.. Modules, "Ghost"], Architecture.HostModules);

        Assert.Contains(violations, v => v.Contains("Ghost", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void Module_references_other_modules_only_through_contracts(string module)
    {
        Assert.Empty(TypeRules.Violations(TypeRules.NoOtherModuleInternals(Architecture.ImplementationAssembly(module))));
    }

    [Fact]
    public void Direct_reference_to_a_module_implementation_is_reported()
    {
        // The Host legitimately uses every module; judged as if it were a module, it must fail.
        var violations = TypeRules.Violations(TypeRules.NoOtherModuleInternals(TypeRules.HostAssembly));

        Assert.Contains(violations, v => v.Contains("NanoBanana.Catalog.", StringComparison.Ordinal));
    }

    [Fact]
    public void Contracts_and_building_blocks_depend_on_no_module()
    {
        Assert.True(TypeRules.ContractsAndBuildingBlocks.Count > Modules.Count, "Contracts or BuildingBlocks assemblies were not found.");

        Assert.Empty(TypeRules.Violations(TypeRules.NoModuleImplementation(TypeRules.ContractsAndBuildingBlocks)));
    }

    [Fact]
    public void Building_block_referencing_a_module_is_reported()
    {
        Assert.NotEmpty(TypeRules.Violations(TypeRules.NoModuleImplementation([TypeRules.HostAssembly])));
    }

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void Handlers_validators_and_db_contexts_are_internal_sealed(string module)
    {
        Assert.Empty(TypeRules.Violations(TypeRules.HandlersValidatorsAndDbContextsInternalSealed(Architecture.ImplementationAssembly(module))));
    }

    [Fact]
    public void Public_or_unsealed_handler_validator_and_db_context_are_reported()
    {
        var violations = TypeRules.Violations(TypeRules.HandlersValidatorsAndDbContextsInternalSealed(TypeRules.FixtureAssembly));

        Assert.Contains(violations, v => v.Contains(nameof(Fixtures.PublicUnsealedHandler), StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains(nameof(Fixtures.PublicValidator), StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains(nameof(Fixtures.PublicDbContext), StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void Module_exposes_only_its_module_class(string module)
    {
        Assert.Empty(TypeRules.Violations(TypeRules.OnlyTheModuleClassIsPublic(Architecture.ImplementationAssembly(module))));
    }

    [Fact]
    public void Extra_public_types_are_reported_nested_ones_too()
    {
        var violations = TypeRules.Violations(TypeRules.OnlyTheModuleClassIsPublic(TypeRules.FixtureAssembly));

        Assert.Contains(violations, v => v.Contains(nameof(Fixtures.InternalOuter.PublicNested), StringComparison.Ordinal));
    }

    [Fact]
    public void Every_background_worker_runs_the_work_loop()
    {
        Assert.Empty(TypeRules.Violations(TypeRules.BackgroundWorkersRunTheWorkLoop([.. TypeRules.ModuleAssemblies, .. TypeRules.ContractsAndBuildingBlocks])));
    }

    [Fact]
    public void A_background_worker_with_a_loop_of_its_own_is_reported()
    {
        var violations = TypeRules.Violations(TypeRules.BackgroundWorkersRunTheWorkLoop([TypeRules.FixtureAssembly]));

        Assert.Contains(violations, v => v.Contains(nameof(Fixtures.HandWrittenPollingLoop), StringComparison.Ordinal));
    }

    [Fact]
    public void Only_the_sender_and_the_grpc_binder_set_a_calls_caller()
    {
        Assert.Empty(TypeRules.Violations(TypeRules.OnlyTheSenderAndTheBinderSetTheCaller(
            [.. TypeRules.ModuleAssemblies, .. TypeRules.ContractsAndBuildingBlocks, TypeRules.HostAssembly])));
    }

    [Fact]
    public void Setting_the_caller_anywhere_else_is_reported()
    {
        var violations = TypeRules.Violations(TypeRules.OnlyTheSenderAndTheBinderSetTheCaller([TypeRules.FixtureAssembly]));

        Assert.Contains(violations, v => v.Contains(nameof(Fixtures.CallerSwap), StringComparison.Ordinal));
    }

    [Fact]
    public void Background_services_and_event_handlers_live_in_one_home_per_module()
    {
        Assert.Empty(TypeRules.Violations(TypeRules.BackgroundServicesLiveInBackground(TypeRules.ModulesWithCommonHomes)));
        Assert.Empty(TypeRules.Violations(TypeRules.EventHandlersLiveInIntegration(TypeRules.ModulesWithCommonHomes)));
    }

    [Fact]
    public void A_background_service_or_event_handler_elsewhere_is_reported()
    {
        var workers = TypeRules.Violations(TypeRules.BackgroundServicesLiveInBackground([TypeRules.FixtureAssembly]));
        var handlers = TypeRules.Violations(TypeRules.EventHandlersLiveInIntegration([TypeRules.FixtureAssembly]));

        Assert.Contains(workers, v => v.Contains(nameof(Fixtures.HandWrittenPollingLoop), StringComparison.Ordinal));
        Assert.Contains(handlers, v => v.Contains(nameof(Fixtures.MisplacedEventHandler), StringComparison.Ordinal));
    }

    [Fact]
    public void The_bot_flows_one_way()
    {
        Assert.Empty(TypeRules.Violations(TypeRules.BotFlowsOneWay("NanoBanana.Bot")));
    }

    [Fact]
    public void A_bot_arrow_running_backwards_is_reported()
    {
        var violations = TypeRules.Violations(TypeRules.BotFlowsOneWay(typeof(Fixtures.BotFlow.Replies.ReplyThatKnowsItsFlow).Namespace![..^".Replies".Length]));

        Assert.Contains(violations, v => v.Contains(nameof(Fixtures.BotFlow.Replies.ReplyThatKnowsItsFlow), StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains(nameof(Fixtures.BotFlow.Features.FlowThatReadsTheWebhook), StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains(nameof(Fixtures.BotFlow.Updates.IngestThatNamesAFeature), StringComparison.Ordinal));
        Assert.DoesNotContain(violations, v => v.Contains(nameof(Fixtures.BotFlow.Updates.WorkerThroughTheRouter), StringComparison.Ordinal));
    }

    [Fact]
    public void Every_rpc_declares_its_access()
    {
        Assert.Empty(Architecture.MethodsWithoutAccess(ProductContracts()));
    }

    [Fact]
    public void Rpc_without_access_option_is_reported()
    {
        var violations = Architecture.MethodsWithoutAccess([BadFixtureReflection.Descriptor]);

        Assert.Equal(["nanobanana.fixture.v1.FixtureService.Unguarded has no (nanobanana.options.v1.access) option"], violations);
    }

    [Fact]
    public void Every_rpc_has_a_use_case_and_a_handler()
    {
        var handlers = Modules.SelectMany(m => Architecture.ImplementationAssembly(m).GetTypes()).ToList();

        Assert.Empty(Architecture.MethodsWithoutHandler(ProductContracts(), handlers));
    }

    [Fact]
    public void Rpc_without_use_case_or_handler_is_reported()
    {
        var violations = Architecture.MethodsWithoutHandler([BadFixtureReflection.Descriptor], TypeRules.FixtureAssembly.GetTypes());

        Assert.Contains(violations, v => v.Contains("Orphan", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("Unguarded", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_proto_file_under_protos_belongs_to_a_module_or_the_shared_options()
    {
        var declared = ProductContracts().Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var onDisk = Directory.GetFiles(Path.Combine(Architecture.RepoRoot, "protos", "nanobanana"), "*.proto", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Path.Combine(Architecture.RepoRoot, "protos"), p).Replace('\\', '/'))
            .Where(p => !p.StartsWith("nanobanana/options/", StringComparison.Ordinal))
            .Where(p => p.EndsWith("events.proto", StringComparison.Ordinal) is false)
            .ToList();

        Assert.All(onDisk, file => Assert.Contains(file, declared));
    }

    private static List<FileDescriptor> ProductContracts() => [.. Architecture.HostModules.SelectMany(m => m.Contracts)];

    private static List<string> UncoveredModules(IReadOnlyList<string> onDisk, IReadOnlyList<IModule> hostModules)
    {
        var hosted = hostModules.Select(m => m.GetType().Assembly.GetName().Name!).ToHashSet(StringComparer.Ordinal);
        var expected = onDisk.Select(m => $"{Architecture.Prefix}{m}").ToHashSet(StringComparer.Ordinal);
        return [.. expected.Except(hosted).Select(m => $"{m} exists under Modules/ but the Host does not run it"),
            .. hosted.Except(expected).Select(m => $"{m} is run by the Host but is not under Modules/<M>/")];
    }
}
