using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace GptImage.Tests.Client;

/// <summary>
/// Small PNGs whose ancillary chunks inflate to hundreds of MB: a zTXt and an iTXt of zeros, and an iCCP
/// profile alike. Any decoder that inflates them runs away; a reader that skips them does not notice them.
/// </summary>
internal static class PngBombs
{
    /// <summary>How many bytes each bomb chunk inflates to.</summary>
    public const int Inflated = 200 * 1024 * 1024;

    private static readonly Lazy<byte[]> Zeros = new(() =>
    {
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var block = new byte[1024 * 1024];
            for (var i = 0; i < Inflated / block.Length; i++) { z.Write(block); }
        }
        return compressed.ToArray();
    });

    /// <summary>A valid <paramref name="width"/>x<paramref name="height"/> PNG with the bombs before its pixels.</summary>
    public static byte[] Png(int width, int height)
    {
        var plain = TestImages.Png(width, height);
        // The bombs go right after IHDR (8-byte signature, then a 25-byte IHDR chunk).
        const int afterHeader = 8 + 25;
        using var png = new MemoryStream();
        png.Write(plain, 0, afterHeader);
        var keyword = Encoding.ASCII.GetBytes("Comment");
        WriteChunk(png, "zTXt", [.. keyword, 0, 0, .. Zeros.Value]);
        WriteChunk(png, "iTXt", [.. keyword, 0, 1, 0, 0, 0, .. Zeros.Value]);
        WriteChunk(png, "iCCP", [.. Encoding.ASCII.GetBytes("icc"), 0, 0, .. Zeros.Value]);
        png.Write(plain, afterHeader, plain.Length - afterHeader);
        return png.ToArray();
    }

    private static void WriteChunk(Stream s, string type, byte[] data)
    {
        var head = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(head, data.Length);
        Encoding.ASCII.GetBytes(type, head.AsSpan(4));
        s.Write(head);
        s.Write(data);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(head.AsSpan(4), data));
        s.Write(crc);
    }

    private static uint Crc32(ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in type) { crc = Step(crc, b); }
        foreach (var b in data) { crc = Step(crc, b); }
        return crc ^ 0xFFFFFFFFu;
    }

    private static uint Step(uint crc, byte b)
    {
        crc ^= b;
        for (var k = 0; k < 8; k++) { crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1; }
        return crc;
    }
}
