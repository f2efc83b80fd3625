using System.Text.RegularExpressions;
using Xunit;

namespace NanoBanana.ArchitectureTests;

/// <summary>
/// One pool per Host (ADR 0200): connections come from BuildingBlocks' <c>SqlSession</c>, which the DbContexts
/// share. Only BuildingBlocks/Persistence (the session, the LISTEN connection) and the Host's bootstrap and
/// migration lock construct a connection or a data source of their own. The rule also runs on a known-bad fixture.
/// </summary>
public sealed partial class ConnectionRulesTests
{
    private static readonly string[] Scanned = ["Modules", "BuildingBlocks", "Host"];

    private static readonly string[] Allowed =
    [
        Path.Combine("BuildingBlocks", "NanoBanana.BuildingBlocks", "Persistence") + Path.DirectorySeparatorChar,
        Path.Combine("Host", "NanoBanana.Host", "DatabaseBootstrap.cs"),
        Path.Combine("Host", "NanoBanana.Host", "EmbeddedPostgres.cs"),
        Path.Combine("Host", "NanoBanana.Host", "MigrationsHostedService.cs"),
    ];

    [Fact]
    public void Only_the_sql_session_and_the_hosts_bootstrap_open_connections_of_their_own()
    {
        var files = Scanned
            .SelectMany(folder => Directory.GetFiles(Path.Combine(Architecture.RepoRoot, folder), "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();

        Assert.Contains(files, file => file.EndsWith("SqlSession.cs", StringComparison.Ordinal));
        Assert.Empty(OwnConnections(files.Select(file => (Path.GetRelativePath(Architecture.RepoRoot, file), File.ReadAllText(file)))));
    }

    [Fact]
    public void A_module_opening_a_connection_or_a_pool_of_its_own_is_reported()
    {
        var fixture = """
            await using var npgsql = new NpgsqlConnection(connection.ConnectionString);
            public NpgsqlDataSource Source { get; } = NpgsqlDataSource.Create(connection.ConnectionString);
            var builder = new Npgsql.NpgsqlDataSourceBuilder(connectionString);
            """;
        var allowed = Path.Combine("Host", "NanoBanana.Host", "DatabaseBootstrap.cs");

        Assert.Equal(
            [$"{Path.Combine("Modules", "Bad", "Bad.cs")}:1", $"{Path.Combine("Modules", "Bad", "Bad.cs")}:2", $"{Path.Combine("Modules", "Bad", "Bad.cs")}:3"],
            OwnConnections([(Path.Combine("Modules", "Bad", "Bad.cs"), fixture), (allowed, fixture)]));
    }

    /// <summary>Lines outside <see cref="Allowed"/> that construct an Npgsql connection or data source.</summary>
    private static List<string> OwnConnections(IEnumerable<(string Path, string Text)> files) =>
        [.. files
            .Where(file => !Allowed.Any(allowed => file.Path.StartsWith(allowed, StringComparison.Ordinal)))
            .SelectMany(file => file.Text.Split('\n').Select((line, index) => (Line: line, Where: $"{file.Path}:{index + 1}")))
            .Where(line => OwnConnection().IsMatch(line.Line))
            .Select(line => line.Where)];

    [GeneratedRegex(@"new\s+(Npgsql\.)?Npgsql(Connection|DataSourceBuilder|SlimDataSourceBuilder)\s*\(|NpgsqlDataSource\s*\.\s*Create\s*\(")]
    private static partial Regex OwnConnection();
}
