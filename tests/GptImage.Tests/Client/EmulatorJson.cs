namespace GptImage.Tests.Client;

internal static class EmulatorJson
{
    public static GptImage.Prediction Deserialize(this System.Text.Json.Nodes.JsonObject data) =>
        new() { Id = data["id"]!.GetValue<string>(), Status = data["status"]!.GetValue<string>() };
}
