using System.Reflection;
using Google.Protobuf.Reflection;
using MediatR;
using NanoBanana.BuildingBlocks.Mediation;
using NanoBanana.BuildingBlocks.Modules;
using NanoBanana.Options.V1;

namespace NanoBanana.ArchitectureTests;

/// <summary>The product's shape as the rules see it: modules found on disk and in the Host, and their assemblies.</summary>
internal static class Architecture
{
    public const string Prefix = "NanoBanana.";

    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>Module names (e.g. "Catalog") from the folders Modules/&lt;M&gt;/NanoBanana.&lt;M&gt; — the source of truth a new module cannot escape.</summary>
    public static IReadOnlyList<string> ModuleFoldersOnDisk { get; } =
        [.. Directory.GetDirectories(Path.Combine(RepoRoot, "Modules"))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(m => File.Exists(Path.Combine(RepoRoot, "Modules", m, $"{Prefix}{m}", $"{Prefix}{m}.csproj")))
            .Order(StringComparer.Ordinal)];

    /// <summary>BuildingBlocks assembly names, from the folders BuildingBlocks/&lt;Name&gt;/&lt;Name&gt;.csproj.</summary>
    public static IReadOnlyList<string> BuildingBlocksOnDisk { get; } =
        [.. Directory.GetDirectories(Path.Combine(RepoRoot, "BuildingBlocks"))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(b => File.Exists(Path.Combine(RepoRoot, "BuildingBlocks", b, $"{b}.csproj")))
            .Order(StringComparer.Ordinal)];

    public static IReadOnlyList<IModule> HostModules => Program.Modules;

    public static Assembly ImplementationAssembly(string module) => Assembly.Load($"{Prefix}{module}");

    public static Assembly? ContractsAssembly(string module)
    {
        try
        {
            return Assembly.Load($"{Prefix}{module}.Contracts");
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    // ---- Descriptor rules (plain functions; the type rules are ArchUnitNET rules in TypeRules). ----

    /// <summary>Every RPC declares who may call it.</summary>
    public static IReadOnlyList<string> MethodsWithoutAccess(IEnumerable<FileDescriptor> files) =>
        [.. Methods(files)
            .Where(m => m.GetOptions()?.GetExtension(AccessExtensions.Access) is not { Level: not AccessLevel.Unspecified })
            .Select(m => $"{m.FullName} has no (nanobanana.options.v1.access) option")];

    /// <summary>Every RPC's request names its use case (IUseCase/IStreamUseCase of the response) and some module handles it.</summary>
    public static IReadOnlyList<string> MethodsWithoutHandler(IEnumerable<FileDescriptor> files, IReadOnlyCollection<Type> handlerTypes)
    {
        var handled = handlerTypes
            .SelectMany(t => t.GetInterfaces())
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IRequestHandler<,>))
            .Select(i => i.GetGenericArguments()[0])
            .ToHashSet();
        var violations = new List<string>();
        foreach (var method in Methods(files))
        {
            var input = method.InputType.ClrType;
            var output = method.OutputType.ClrType;
            var useCase = method.IsServerStreaming ? typeof(IStreamUseCase<>).MakeGenericType(output) : typeof(IUseCase<>).MakeGenericType(output);
            if (!useCase.IsAssignableFrom(input))
            {
                violations.Add($"{method.FullName}: {input.Name} does not implement {useCase.Name.Split('`')[0]}<{output.Name}>");
            }
            else if (!handled.Contains(input))
            {
                violations.Add($"{method.FullName}: no handler for {input.Name}");
            }
        }

        return violations;
    }

    public static IEnumerable<MethodDescriptor> Methods(IEnumerable<FileDescriptor> files) =>
        files.SelectMany(f => f.Services).SelectMany(s => s.Methods);

    private static string FindRepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NanoBanana.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("NanoBanana.sln not found above the test folder.");
    }
}
