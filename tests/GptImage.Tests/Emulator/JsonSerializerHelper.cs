namespace GptImage.Tests.Emulator;

internal static class JsonSerializerHelper
{
    public static string Serialize(object value) => System.Text.Json.JsonSerializer.Serialize(value);
}
