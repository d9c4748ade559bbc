using GptImage.Emulator;
using GptImage.Images;

namespace GptImage.Tests.Client;

internal static class TestImages
{
    public static byte[] Png(int width, int height, int variant = 1) => GptImage.Emulator.Png.Create(width, height, variant, ImageContent.Pattern);

    public static (int Width, int Height) SizeOf(string path)
    {
        var size = ImageFiles.Dimensions(path);
        Assert.NotNull(size);
        return size!.Value;
    }
}
