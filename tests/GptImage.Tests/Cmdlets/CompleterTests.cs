using System.Collections;
using GptImage.Commands.Arguments;
using GptImage.Commands.Completers;

namespace GptImage.Tests.Cmdlets;

/// <summary>Completion offers only what the model and provider typed (or the defaults) take.</summary>
public sealed class CompleterTests
{
    private static string[] Complete(ValueCompleter completer, string command, Hashtable bound, string word = "") =>
        completer.CompleteArgument(command, "x", word, null!, bound).Select(r => r.CompletionText).ToArray();

    [Fact]
    public void Size_and_quality_for_the_default_model_on_WaveSpeed_offer_no_auto()
    {
        Assert.Equal(new[] { "1024x1024", "1024x1536", "1536x1024" }, Complete(new SizeCompleter(), "New-GptImage", new Hashtable()));
        Assert.Equal(new[] { "low", "medium", "high" }, Complete(new QualityCompleter(), "New-GptImage", new Hashtable()));
        Assert.Empty(Complete(new BackgroundCompleter(), "New-GptImage", new Hashtable()));
    }

    [Fact]
    public void The_model_typed_decides_the_values()
    {
        Assert.Contains("auto", Complete(new SizeCompleter(), "New-GptImage", new Hashtable { ["Model"] = "gpt-image-1.5" }));
        Assert.Empty(Complete(new SizeCompleter(), "New-GptImage", new Hashtable { ["Model"] = "gpt-image-1-mini" }));
        Assert.Equal(new[] { "auto", "1024x1024", "1024x1536", "1536x1024" }, Complete(new SizeCompleter(), "Edit-GptImage", new Hashtable()));
        Assert.Equal(new[] { "high", "low" }, Complete(new InputFidelityCompleter(), "Edit-GptImage", new Hashtable { ["Model"] = "gpt-image-1.5" }));
        Assert.Empty(Complete(new InputFidelityCompleter(), "Edit-GptImage", new Hashtable()));
    }

    [Fact]
    public void The_provider_typed_decides_the_models_and_values()
    {
        var openAi = new Hashtable { ["Provider"] = "openai" };
        Assert.Equal(new[] { "low", "medium", "high", "auto" }, Complete(new QualityCompleter(), "New-GptImage", openAi));
        Assert.Equal(new[] { "png", "jpeg", "webp" }, Complete(new OutputFormatCompleter(), "New-GptImage", openAi));
        Assert.Empty(Complete(new OutputFormatCompleter(), "New-GptImage", new Hashtable()));
        Assert.Equal(new[] { "gpt-image-1" }, Complete(new ModelCompleter(), "New-GptImage", new Hashtable { ["Provider"] = ProviderKind.AimlApi }));
        Assert.Equal(new[] { "low", "medium", "high" }, Complete(new QualityCompleter(), "New-GptImage", new Hashtable { ["Provider"] = "AimlApi" }));
        Assert.Equal(new[] { "1536x1024" }, Complete(new SizeCompleter(), "New-GptImage", new Hashtable(), "15"));
    }

    [Theory]
    [InlineData("OpenAI", ProviderKind.OpenAI)]
    [InlineData("'aimlapi'", ProviderKind.AimlApi)]
    [InlineData("1", null)]
    [InlineData("nope", null)]
    [InlineData(null, null)]
    public void A_typed_provider_is_read_by_name(string? typed, ProviderKind? expected) =>
        Assert.Equal(expected, ValueCompleter.TypedProvider(typed));
}
