using System.Globalization;
using System.Text.Json.Nodes;

namespace GptImage.Emulator;

/// <summary>
/// Azure OpenAI's image routes on a resource's deployments (shared/api/azure-openai-and-gpt-image-2.md):
/// <c>POST /openai/deployments/{deployment}/images/generations|edits?api-version=…</c>, signed with an <c>api-key</c>
/// header or a bearer token of the managed-identity endpoint below; base64 answers only. And that endpoint, as Azure
/// Automation, App Service and Functions expose it: <c>GET {IDENTITY_ENDPOINT}?resource=…&amp;api-version=2019-08-01</c>
/// with <c>X-IDENTITY-HEADER</c>.
/// </summary>
internal static class AzureEndpoints
{
    public const string IdentityPath = "/_identity/token";
    public const string Resource = "https://cognitiveservices.azure.com";
    /// <summary>The first api-version Microsoft documents for gpt-image-1; later ones (and their previews) are taken too.</summary>
    private static readonly DateOnly FirstImageVersion = new(2025, 4, 1);

    public static void Map(WebApplication app, EmulatorState state)
    {
        app.MapPost("/openai/deployments/{deployment}/images/generations", (HttpContext ctx, string deployment) => RouteAsync(ctx, state, deployment, edit: false));
        app.MapPost("/openai/deployments/{deployment}/images/edits", (HttpContext ctx, string deployment) => RouteAsync(ctx, state, deployment, edit: true));
        app.MapGet(IdentityPath, ctx => TokenAsync(ctx, state));
    }

    private static async Task RouteAsync(HttpContext ctx, EmulatorState state, string deployment, bool edit)
    {
        if (!await AuthorizeAsync(ctx, state).ConfigureAwait(false)) { return; }
        var version = ctx.Request.Query["api-version"].ToString();
        if (version.Length == 0)
        {
            await ErrorAsync(ctx, 404, "404", "Resource not found").ConfigureAwait(false);
            return;
        }
        if (!Supported(version))
        {
            await ErrorAsync(ctx, 400, "BadRequest", $"API version {version} is not supported for image generation; use {FirstImageVersion:yyyy-MM-dd}-preview or later.").ConfigureAwait(false);
            return;
        }
        if (!state.Options.AzureDeployments.TryGetValue(deployment, out var model))
        {
            await ErrorAsync(ctx, 404, "DeploymentNotFound",
                "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.").ConfigureAwait(false);
            return;
        }
        await (edit ? ImagesEndpoints.EditAsync(ctx, state, model) : ImagesEndpoints.GenerateAsync(ctx, state, model)).ConfigureAwait(false);
    }

    /// <summary>yyyy-MM-dd or yyyy-MM-dd-preview, from the first version with image generation on.</summary>
    private static bool Supported(string version)
    {
        var date = version.EndsWith("-preview", StringComparison.Ordinal) ? version[..^"-preview".Length] : version;
        return DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && d >= FirstImageVersion;
    }

    /// <summary>An <c>api-key</c> header with the emulator's key, or a bearer token its identity endpoint issued and that has not expired.</summary>
    private static async Task<bool> AuthorizeAsync(HttpContext ctx, EmulatorState state)
    {
        var key = ctx.Request.Headers["api-key"].ToString();
        var bearer = ctx.Request.Headers.Authorization.ToString();
        if (key.Length > 0 ? key == state.Options.ApiKey
            : bearer.StartsWith("Bearer ", StringComparison.Ordinal) && state.Identity.Accept(bearer["Bearer ".Length..]))
        {
            return true;
        }
        Interlocked.Increment(ref state.Stats.Unauthorized);
        await ErrorAsync(ctx, 401, "401", key.Length > 0 || bearer.Length == 0
            ? "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource."
            : $"Unauthorized. Access token is missing, invalid, audience is incorrect ({Resource}), or have expired.").ConfigureAwait(false);
        return false;
    }

    private static async Task TokenAsync(HttpContext ctx, EmulatorState state)
    {
        Interlocked.Increment(ref state.Stats.IdentityRequests);
        if (ctx.Request.Headers["X-IDENTITY-HEADER"].ToString() != state.Options.IdentityHeader)
        {
            await Respond.JsonAsync(ctx, 401, new JsonObject { ["statusCode"] = 401, ["message"] = "The X-IDENTITY-HEADER header is missing or wrong." }).ConfigureAwait(false);
            return;
        }
        var resource = ctx.Request.Query["resource"].ToString().TrimEnd('/');
        if (ctx.Request.Query["api-version"] != "2019-08-01" || resource != Resource)
        {
            await Respond.JsonAsync(ctx, 400, new JsonObject { ["statusCode"] = 400, ["message"] = "Expected api-version=2019-08-01 and resource=" + Resource + "." }).ConfigureAwait(false);
            return;
        }
        Interlocked.Increment(ref state.Stats.IdentityTokens);
        var (token, expires) = state.Identity.Issue();
        await Respond.JsonAsync(ctx, 200, new JsonObject
        {
            ["access_token"] = token,
            ["expires_on"] = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["resource"] = Resource,
            ["token_type"] = "Bearer",
            ["client_id"] = ctx.Request.Query["client_id"].ToString() is { Length: > 0 } id ? id : "00000000-0000-0000-0000-000000000000",
        }).ConfigureAwait(false);
    }

    /// <summary>Azure's error body: <c>{"error":{"code":…,"message":…}}</c>.</summary>
    private static Task ErrorAsync(HttpContext ctx, int status, string code, string message) =>
        Respond.JsonAsync(ctx, status, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } });
}
