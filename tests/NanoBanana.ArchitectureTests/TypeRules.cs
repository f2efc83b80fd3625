using System.Reflection;
using ArchUnitNET.Fluent;
using ArchUnitNET.Loader;
using ArchUnitNET.Fluent.Syntax.Elements.Types;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using NanoBanana.BuildingBlocks.Background;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.BuildingBlocks.Modules;
using NanoBanana.BuildingBlocks.Security;
using static ArchUnitNET.Fluent.ArchRuleDefinition;
using LoadedArchitecture = ArchUnitNET.Domain.Architecture;

namespace NanoBanana.ArchitectureTests;

/// <summary>
/// The type rules as ArchUnitNET rules (ADR 0109). Loading the assemblies costs 8–12 s, so the product
/// (modules, Contracts, BuildingBlocks, the Host) and the known-bad fixtures of this assembly are loaded
/// once per test run and every rule is evaluated against that one architecture. A rule whose subject set
/// is empty fails (ArchUnitNET's default), so a rule that stopped matching anything does not pass silently.
/// </summary>
internal static class TypeRules
{
    private static readonly Lazy<LoadedArchitecture> Loaded = new(Load);

    public static LoadedArchitecture Product => Loaded.Value;

    public static Assembly FixtureAssembly { get; } = typeof(TypeRules).Assembly;

    public static Assembly HostAssembly { get; } = typeof(Program).Assembly;

    public static IReadOnlyList<Assembly> ModuleAssemblies { get; } = [.. Architecture.ModuleFoldersOnDisk.Select(Architecture.ImplementationAssembly)];

    public static IReadOnlyList<Assembly> ContractsAndBuildingBlocks { get; } =
        [.. Architecture.ModuleFoldersOnDisk.Select(Architecture.ContractsAssembly).OfType<Assembly>(),
            .. Architecture.BuildingBlocksOnDisk.Select(Assembly.Load)];

    /// <summary><paramref name="subject"/> uses the other modules only through their Contracts.</summary>
    public static IArchRule NoOtherModuleInternals(Assembly subject) =>
        Types().That().ResideInAssembly(subject)
            .Should().NotDependOnAny(TypesIn(ModuleAssemblies.Where(m => m != subject)))
            .Because("a module uses another module only through its Contracts");

    /// <summary><paramref name="subjects"/> (Contracts, BuildingBlocks) depend on no module implementation.</summary>
    public static IArchRule NoModuleImplementation(IReadOnlyList<Assembly> subjects) =>
        TypesIn(subjects)
            .Should().NotDependOnAny(TypesIn(ModuleAssemblies))
            .Because("Contracts and BuildingBlocks are shared by the modules and must not depend on one");

    /// <summary>Handlers, validators and DbContexts of <paramref name="subject"/> are internal sealed.</summary>
    public static IArchRule HandlersValidatorsAndDbContextsInternalSealed(Assembly subject) =>
        Classes().That().Are(Classes().That().ImplementInterface(typeof(IRequestHandler<,>))
                .Or().AreAssignableTo(typeof(IValidator))
                .Or().AreAssignableTo(typeof(DbContext)))
            .And().ResideInAssembly(subject).And().AreNotAbstract()
            .Should().NotBePublic().AndShould().BeSealed()
            .Because("a use case is reached through the mediator, never by type");

    /// <summary>The only public type of <paramref name="subject"/>, nested types included, is its IModule class.</summary>
    public static IArchRule OnlyTheModuleClassIsPublic(Assembly subject) =>
        Types().That().ResideInAssembly(subject).And().ArePublic()
            .Should().BeAssignableTo(typeof(IModule))
            .Because("a module's public surface is its Contracts and its module class");

    /// <summary>
    /// Background services that are not loops over claimed work and keep their own shape (ADR 0127): ingest's
    /// group-commit writers, long polling, and the LISTEN connection.
    /// </summary>
    public static IReadOnlyList<string> NotClaimLoops { get; } =
        ["NanoBanana.Bot.Updates.UpdateStore", "NanoBanana.Bot.Updates.UpdateSource", "NanoBanana.BuildingBlocks.Persistence.DatabaseNotifications"];

    /// <summary>Every background worker of <paramref name="subjects"/> runs the one <see cref="WorkLoop"/>.</summary>
    public static IArchRule BackgroundWorkersRunTheWorkLoop(IEnumerable<Assembly> subjects)
    {
        var workers = Classes().That().AreAssignableTo(typeof(BackgroundService)).And().AreNotAbstract();
        var subjectList = subjects.ToArray();
        workers = workers.And().ResideInAssembly(subjectList[0], subjectList[1..]);
        foreach (var exempt in NotClaimLoops)
        {
            workers = workers.And().DoNotHaveFullName(exempt);
        }

        return workers.Should().DependOnAny(typeof(WorkLoop))
            .Because("waiting, wake-ups and failure pauses of background work are the one WorkLoop (ADR 0127)");
    }

    /// <summary>The only types that set a call's caller (ADR 0180): the in-process sender and the gRPC binder.</summary>
    public static IReadOnlyList<string> CallerSetters { get; } =
        [typeof(UseCaseSender).FullName!, "NanoBanana.BuildingBlocks.Grpc.Security.CallAccessInterceptor"];

    /// <summary>Nothing in <paramref name="subjects"/> but <see cref="CallerSetters"/> (their async state machines included) sets a scope's caller.</summary>
    public static IArchRule OnlyTheSenderAndTheBinderSetTheCaller(IEnumerable<Assembly> subjects)
    {
        var types = TypesIn(subjects);
        foreach (var setter in CallerSetters)
        {
            types = types.And().DoNotHaveFullNameStartingWith(setter);
        }

        return types.Should().NotCallAny(MethodMembers().That().AreDeclaredIn(typeof(CallContext)).And().HaveNameStartingWith(nameof(CallContext.Enter) + "("))
            .Because("a call's caller is set once, when its scope opens, so a nested call never runs as whoever set it last (ADR 0180)");
    }

    /// <summary>
    /// The modules whose folders follow the homes below. The Bot's are its stages instead: each worker and event
    /// handler lives in the stage of its one-way flow (updates in, flows, replies out; ADR 0188), which its own rule pins.
    /// </summary>
    public static IReadOnlyList<Assembly> ModulesWithCommonHomes { get; } =
        [.. ModuleAssemblies.Where(assembly => assembly.GetName().Name != $"{Architecture.Prefix}Bot")];

    /// <summary>Every background service of <paramref name="subjects"/> lives in its module's <c>Background/</c> (ADR 0191).</summary>
    public static IArchRule BackgroundServicesLiveInBackground(IEnumerable<Assembly> subjects) =>
        subjects.ToArray() is [var first, .. var rest]
            ? Classes().That().AreAssignableTo(typeof(BackgroundService)).And().AreNotAbstract().And().ResideInAssembly(first, rest)
                .Should().ResideInNamespaceMatching(@"^NanoBanana\.\w+\.Background$")
                .Because("a module's background services have one home, Background/ (ADR 0191)")
            : throw new InvalidOperationException("A rule over no assemblies checks nothing.");

    /// <summary>Every handler of another module's event in <paramref name="subjects"/> lives in its module's <c>Integration/</c> (ADR 0191).</summary>
    public static IArchRule EventHandlersLiveInIntegration(IEnumerable<Assembly> subjects) =>
        subjects.ToArray() is [var first, .. var rest]
            ? Classes().That().ImplementInterface(typeof(IIntegrationEventHandler<>)).And().AreNotAbstract().And().ResideInAssembly(first, rest)
                .Should().ResideInNamespaceMatching(@"^NanoBanana\.\w+\.Integration$")
                .Because("a module's reactions to other modules' events have one home, Integration/ (ADR 0191)")
            : throw new InvalidOperationException("A rule over no assemblies checks nothing.");

    /// <summary>
    /// The Bot's types that updates-in may use from the flows: the worker hands a claimed chat's update to the
    /// router and saves the step it returns; pre-checkout asks Payments through the module gateway.
    /// </summary>
    public static IReadOnlyList<string> BotFlowEntry { get; } = ["UpdateRouter", "StoredChat", "ChatSession", "ModuleGateway"];

    /// <summary>
    /// The Bot under <paramref name="root"/> flows one way (ADR 0188): updates in (<c>Updates</c>) → flows
    /// (<c>Conversation</c>, <c>Features</c>) → replies out (<c>Replies</c>). Replies know neither flows nor
    /// updates; flows do not know how updates arrive; updates reach the flows only through <see cref="BotFlowEntry"/>.
    /// </summary>
    public static IArchRule BotFlowsOneWay(string root)
    {
        var prefix = root.Replace(".", @"\.", StringComparison.Ordinal);
        var updates = Types().That().HaveFullNameStartingWith(root + ".Updates.");
        var flows = Types().That().HaveFullNameMatching($@"^{prefix}\.(Conversation|Features)\.");
        var replies = Types().That().HaveFullNameStartingWith(root + ".Replies.");
        var flowsPastTheEntry = Types().That().HaveFullNameMatching(
            $@"^{prefix}\.(Features\.|Conversation\.(?!(?:{string.Join('|', BotFlowEntry)})(?:$|[+`])))");
        return replies.Should().NotDependOnAny(Types().That().HaveFullNameMatching($@"^{prefix}\.(Updates|Conversation|Features)\."))
                .Because("replies out are written and sent the same whoever decided them")
            .And(flows.Should().NotDependOnAny(updates)
                .Because("a flow does not know whether its update came by webhook or long polling"))
            .And(updates.Should().NotDependOnAny(flowsPastTheEntry)
                .Because("updates in hand each update to the router, which asks the flows"));
    }

    /// <summary>What the rule reports on the loaded architecture (empty when it holds).</summary>
    public static IReadOnlyList<string> Violations(IArchRule rule) =>
        [.. rule.Evaluate(Product).Where(result => !result.Passed).Select(result => result.Description)];

    private static GivenTypesConjunction TypesIn(IEnumerable<Assembly> assemblies) =>
        assemblies.ToArray() is [var first, .. var rest]
            ? Types().That().ResideInAssembly(first, rest)
            : throw new InvalidOperationException("A rule over no assemblies checks nothing.");

    private static LoadedArchitecture Load() =>
        new ArchLoader().LoadAssemblies(
            [.. ModuleAssemblies, .. ContractsAndBuildingBlocks, HostAssembly, FixtureAssembly,
                typeof(IRequestHandler<,>).Assembly, typeof(IValidator).Assembly, typeof(DbContext).Assembly, typeof(BackgroundService).Assembly])
            .Build();
}
