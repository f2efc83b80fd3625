using Google.Protobuf.Reflection;

namespace NanoBanana.BuildingBlocks.Grpc.Reflection;

/// <summary>
/// Every proto file reachable from the served contracts (dependencies included), indexed by file
/// name, fully-qualified symbol and extension number, for server reflection.
/// </summary>
internal sealed class DescriptorIndex
{
    private readonly Dictionary<string, FileDescriptor> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileDescriptor> _symbols = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedDictionary<int, FileDescriptor>> _extensions = new(StringComparer.Ordinal);

    public DescriptorIndex(IEnumerable<FileDescriptor> roots, IEnumerable<string> servedServices)
    {
        foreach (var root in roots)
        {
            Add(root);
        }

        Services = [.. servedServices.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>Fully-qualified names of the services that have at least one served method.</summary>
    public IReadOnlyList<string> Services { get; }

    public FileDescriptor? FileByName(string name) => _files.GetValueOrDefault(name);

    public FileDescriptor? FileContainingSymbol(string symbol) => _symbols.GetValueOrDefault(symbol.TrimStart('.'));

    public FileDescriptor? FileContainingExtension(string extendee, int number) =>
        _extensions.TryGetValue(extendee.TrimStart('.'), out var byNumber) ? byNumber.GetValueOrDefault(number) : null;

    public IReadOnlyList<int>? ExtensionNumbersOf(string extendee)
    {
        var name = extendee.TrimStart('.');
        if (_extensions.TryGetValue(name, out var byNumber))
        {
            return [.. byNumber.Keys];
        }

        return _symbols.ContainsKey(name) ? [] : null;
    }

    /// <summary>The file first, then every file it depends on, transitively, each once.</summary>
    public static IReadOnlyList<FileDescriptor> WithDependencies(FileDescriptor file)
    {
        var ordered = new List<FileDescriptor>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<FileDescriptor>([file]);
        while (pending.TryDequeue(out var next))
        {
            if (seen.Add(next.Name))
            {
                ordered.Add(next);
                foreach (var dependency in next.Dependencies)
                {
                    pending.Enqueue(dependency);
                }
            }
        }

        return ordered;
    }

    private void Add(FileDescriptor file)
    {
        if (!_files.TryAdd(file.Name, file))
        {
            return;
        }

        foreach (var dependency in file.Dependencies)
        {
            Add(dependency);
        }

        foreach (var message in file.MessageTypes)
        {
            AddMessage(file, message);
        }

        foreach (var enumType in file.EnumTypes)
        {
            _symbols.TryAdd(enumType.FullName, file);
        }

        foreach (var service in file.Services)
        {
            _symbols.TryAdd(service.FullName, file);
            foreach (var method in service.Methods)
            {
                _symbols.TryAdd(method.FullName, file);
            }
        }

        AddExtensions(file, file.Extensions.UnorderedExtensions);
    }

    private void AddMessage(FileDescriptor file, MessageDescriptor message)
    {
        _symbols.TryAdd(message.FullName, file);
        foreach (var nested in message.NestedTypes)
        {
            AddMessage(file, nested);
        }

        foreach (var enumType in message.EnumTypes)
        {
            _symbols.TryAdd(enumType.FullName, file);
        }

        AddExtensions(file, message.Extensions.UnorderedExtensions);
    }

    private void AddExtensions(FileDescriptor file, IEnumerable<FieldDescriptor> extensions)
    {
        foreach (var extension in extensions)
        {
            _symbols.TryAdd(extension.FullName, file);
            var extendee = extension.ExtendeeType.FullName;
            if (!_extensions.TryGetValue(extendee, out var byNumber))
            {
                _extensions[extendee] = byNumber = [];
            }

            byNumber.TryAdd(extension.FieldNumber, file);
        }
    }
}
