using System.Security;
using GptImage.Http.Auth;
using GptImage.Http;

namespace GptImage.Tests.Client;

/// <summary>The key: never shown, scrubbed from every text in every escaped form, and resolved in one order (the key variables are emptied for each test and put back).</summary>
[Collection(ProcessWide.Name)]
public sealed class ApiCredentialTests : ProcessWideStateTest
{
    private const string Key = "sk-Live_0123456789abcdef";

    [Fact]
    public void The_key_is_shown_only_masked_and_a_short_key_not_at_all()
    {
        var credential = new ApiCredential("  " + Key + " ");
        Assert.Equal("sk-…(24)", credential.Masked);
        Assert.Equal(credential.Masked, credential.ToString());
        Assert.Equal(Key, credential.AuthorizationParameter);
        Assert.Equal("***", new ApiCredential("abcdef").Masked);
        Assert.Equal("abc…(7)", new ApiCredential("abcdefg").Masked);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_key_is_refused(string key) =>
        Assert.StartsWith("The API key is empty.", Assert.Throws<ArgumentException>(() => new ApiCredential(key)).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("Bearer sk-Live_0123456789abcdef.", "Bearer ***.")]
    [InlineData("{\"key\":\"sk\\u002dLive_0123456789abcdef\"}", "{\"key\":\"***\"}")]
    [InlineData("{\"key\":\"sk\\u002DLive_0123456789abcdef\"}", "{\"key\":\"***\"}")]
    [InlineData("?key=sk%2DLive%5F0123456789abcdef&x=1", "?key=***&x=1")]
    [InlineData("?key=sk%2dLive%5f0123456789abcdef", "?key=***")]
    [InlineData("twice: sk-Live_0123456789abcdef sk-Live_0123456789abcdef", "twice: *** ***")]
    [InlineData("a prefix only: sk-Live_0123456789abcde", "a prefix only: sk-Live_0123456789abcde")]
    [InlineData("", "")]
    [InlineData(null, null)]
    public void Every_written_form_of_the_key_is_scrubbed(string? text, string? expected) =>
        Assert.Equal(expected, new ApiCredential(Key).Redact(text!));

    [Fact]
    public void A_key_with_characters_beyond_ascii_is_scrubbed_plainly_and_json_escaped()
    {
        var credential = new ApiCredential("clé-secrète-42");
        Assert.Equal("*** / ***", credential.Redact("clé-secrète-42 / cl\\u00e9-secr\\u00e8te-42"));
        Assert.Equal(14 * 6, credential.LongestForm);
    }

    [Fact]
    public void The_call_key_wins_then_the_connection_key_then_the_variable()
    {
        var variable = ApiCredential.Variable(ProviderKind.WaveSpeed);
        Environment.SetEnvironmentVariable(variable, "from-the-variable");
        var connection = new ApiCredential("from-the-connection");
        using var call = new SecureString();
        foreach (var c in "from-the-call") { call.AppendChar(c); }
        Assert.Equal("from-the-call", ApiCredential.Resolve(call, connection, ProviderKind.WaveSpeed)!.AuthorizationParameter);
        using var empty = new SecureString();
        Assert.Equal("from-the-connection", ApiCredential.Resolve(empty, connection, ProviderKind.WaveSpeed)!.AuthorizationParameter);
        Assert.Equal("from-the-variable", ApiCredential.Resolve(null, null, ProviderKind.WaveSpeed)!.AuthorizationParameter);
        Assert.Null(ApiCredential.Resolve(null, null, ProviderKind.AimlApi));
        Environment.SetEnvironmentVariable(variable, "  ");
        Assert.Null(ApiCredential.Resolve(null, null, ProviderKind.WaveSpeed));
        Assert.Null(ApiCredential.FromEnvironment(variable));
    }

    [Fact]
    public void A_missing_secure_string_is_an_argument_error() =>
        Assert.Throws<ArgumentNullException>(() => ApiCredential.FromSecureString(null!));
}
