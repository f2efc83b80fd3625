using NanoBanana.Testing;
using Xunit;

namespace NanoBanana.IntegrationTests;

/// <summary>
/// The repository as a newcomer gets it, in a fresh folder: every file git would commit now (tracked and new
/// files, with uncommitted edits, so the test checks the code under development), committed into a new git
/// repository there, without bin/, obj/, node_modules/ or .data/. It sits in its own parent folder so a test
/// can make that folder private (mode 700) around the same checkout: both cases share one Release build.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RepositoryCopy : IAsyncLifetime
{
    private readonly List<string> _sharedDataFolders = [];

    public string Parent { get; } = Path.Combine(Path.GetTempPath(), $"nanobanana-fresh-{Guid.NewGuid():N}"[..28]);

    public string Checkout => Path.Combine(Parent, "nanobanana");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Checkout);
        // tar keeps the modes (./nb stays executable); --ignore-failed-read skips files deleted but not yet committed.
        await RunAsync("bash", ["-c", $"git ls-files -z --cached --others --exclude-standard | tar --null --ignore-failed-read -T - -cf - | tar -xf - -C '{Checkout}'"], ExternalProcess.RepositoryRoot);
        await RunAsync("git", ["init", "-q"], Checkout);
        await RunAsync("git", ["add", "-A"], Checkout);
        await RunAsync("git", ["-c", "user.name=NanoBanana tests", "-c", "user.email=tests@nanobanana.invalid", "commit", "-qm", "fresh copy"], Checkout);
    }

    /// <summary>Remembers a folder outside the copy (the embedded cluster's stand-in under /var/lib) to delete at the end.</summary>
    public void DeleteAtEnd(string folder)
    {
        lock (_sharedDataFolders)
        {
            _sharedDataFolders.Add(folder);
        }
    }

    /// <summary>The output of <c>git status --porcelain</c> in the copy (empty when nothing changed).</summary>
    public async Task<string> GitStatusAsync() => (await RunAsync("git", ["status", "--porcelain"], Checkout)).Split('\n', 2)[1].Trim();

    public Task DisposeAsync()
    {
        File.SetUnixFileMode(Parent, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        foreach (var folder in _sharedDataFolders.Append(Parent))
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        return Task.CompletedTask;
    }

    private static async Task<string> RunAsync(string program, string[] arguments, string folder)
    {
        var (exitCode, output) = await ExternalProcess.RunAsync(program, arguments, folder);
        Assert.True(exitCode == 0, output);
        return output;
    }
}
