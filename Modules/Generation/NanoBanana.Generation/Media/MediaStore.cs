namespace NanoBanana.Generation.Media;

/// <summary>Where result files and reference images live; keys are relative paths chosen by the module.</summary>
internal interface IMediaStore
{
    /// <summary>Writes (or overwrites: a resumed job writes the same key again) the content under <paramref name="key"/>.</summary>
    Task SaveAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>The content, or null when the key is unknown or deleted.</summary>
    Task<byte[]?> ReadAsync(string key, CancellationToken cancellationToken);

    Task DeleteAsync(string key, CancellationToken cancellationToken);
}

/// <summary>The default store: files under a root folder (<c>.data/media</c>), written atomically through a temporary file.</summary>
internal sealed class LocalMediaStore(string root) : IMediaStore
{
    private readonly string _root = Path.GetFullPath(root);

    public async Task SaveAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await File.WriteAllBytesAsync(temporary, content.ToArray(), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    public async Task<byte[]?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken) : null;
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }

    private string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(_root, key));
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException("A media key must stay inside the store.", nameof(key));
        }

        return path;
    }
}
