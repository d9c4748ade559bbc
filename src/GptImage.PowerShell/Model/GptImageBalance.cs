namespace GptImage;

/// <summary>The account's balance, as Get-GptImageBalance writes it.</summary>
public sealed class GptImageBalance
{
    /// <summary>The provider.</summary>
    public string Provider { get; init; } = "WaveSpeed";
    /// <summary>What is left on the account.</summary>
    public decimal Balance { get; init; }
    /// <summary>Always USD.</summary>
    public string Currency { get; init; } = "USD";

    /// <inheritdoc />
    public override string ToString() => $"{Balance} {Currency}";
}
