namespace GptImage.Emulator;

/// <summary>How a sync-mode request answers when the task outlives <see cref="EmulatorOptions.SyncTimeoutMs"/>.</summary>
public enum SyncTimeoutAnswer
{
    /// <summary>HTTP 200, status processing, data.code 5004 and "Sync mode timed out after 90 seconds".</summary>
    Code5004,
    /// <summary>HTTP 504 from the gateway.</summary>
    GatewayTimeout,
}
