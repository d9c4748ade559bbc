namespace GptImage.Emulator;

internal enum ImageInputs { None, Single, Many }
