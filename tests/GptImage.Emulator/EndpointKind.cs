namespace GptImage.Emulator;

internal enum EndpointKind { Submit, Result, Upload, Download, Images, Other }
