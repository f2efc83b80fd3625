using NanoBanana.Catalog.Contracts.V1;
using NanoBanana.Generation.Domain;

namespace NanoBanana.Generation.Providers;

/// <summary>
/// Which adapter runs a Catalog model here: its own provider when credentials are configured;
/// otherwise the Sandbox in Offline mode, and nothing (the model is not offered) in Production.
/// </summary>
internal sealed class ProviderRegistry
{
    private readonly Dictionary<Engine, IGenerationProvider> _providers;
    private readonly Dictionary<Engine, ProviderOptions> _options;
    private readonly GenerationOptions _settings;

    public ProviderRegistry(IEnumerable<IGenerationProvider> providers, GenerationOptions settings)
    {
        _settings = settings;
        _providers = providers.ToDictionary(p => p.Engine);
        _options = new Dictionary<Engine, ProviderOptions>
        {
            [Engine.Gemini] = settings.Gemini,
            [Engine.Vertex] = settings.Vertex,
            [Engine.Kie] = settings.Kie,
            [Engine.Sandbox] = settings.Sandbox,
        };
    }

    public GenerationMode Mode => _settings.Mode;

    /// <summary>The engine for a model's provider, or null when this deployment cannot run it.</summary>
    public Engine? EngineFor(Provider provider)
    {
        var configured = provider switch
        {
            Provider.Gemini => _settings.Gemini.Configured,
            Provider.Vertex => _settings.Vertex.Configured,
            Provider.Kie => _settings.Kie.Configured,
            Provider.Sandbox => true,
            _ => false,
        };
        if (configured && _providers.ContainsKey((Engine)provider))
        {
            return (Engine)provider;
        }

        return _settings.Mode == GenerationMode.Offline ? Engine.Sandbox : null;
    }

    public IGenerationProvider Get(Engine engine) => _providers[engine];

    public ProviderOptions OptionsOf(Engine engine) => _options[engine];

    public IEnumerable<Engine> Engines => _providers.Keys;
}
