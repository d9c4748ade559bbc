namespace GptImage.Emulator;

internal enum ErrorStyle { WaveSpeed, OpenAi }
