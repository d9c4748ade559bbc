namespace GptImage.Emulator;

internal enum TaskPhase { Created, Processing, Completed, Failed }
