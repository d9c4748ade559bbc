namespace GptImage.Emulator;

/// <summary>Fault probabilities per endpoint kind.</summary>
public sealed class FaultProfile
{
    public FaultRates Submit { get; set; } = new();
    public FaultRates Result { get; set; } = new();
    public FaultRates Upload { get; set; } = new();
    public FaultRates Download { get; set; } = new();
    public FaultRates Images { get; set; } = new();

    internal FaultRates For(EndpointKind kind) => kind switch
    {
        EndpointKind.Submit => Submit,
        EndpointKind.Result => Result,
        EndpointKind.Upload => Upload,
        EndpointKind.Download => Download,
        EndpointKind.Images => Images,
        _ => new FaultRates(),
    };
}
