namespace NanoBanana.Host;

/// <summary>
/// The private PostgreSQL cluster could not be set up (no binaries, a folder it cannot use, initdb or
/// pg_ctl failed): a machine setup problem whose message says what to do, not a bug.
/// </summary>
public sealed class EmbeddedPostgresException(string message) : Exception(message);
