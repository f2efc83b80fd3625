namespace NanoBanana.Playground;

/// <summary>Standalone entry point; a namespaced class so the Host's own <c>Program</c> does not collide with it.</summary>
internal static class Program
{
    public static Task Main(string[] args) => PlaygroundServer.RunStandaloneAsync(args);
}
