using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Compression;

namespace GptImage.Emulator;

/// <summary>Deterministic PNG pictures, and the image checks the real services make.</summary>
internal static class Png
{
    private static readonly uint[] CrcTable = BuildCrcTable();
    private static readonly ConcurrentDictionary<(int, int, int, ImageContent), byte[]> Cache = new();

    /// <summary>A valid RGB PNG of the given size; <paramref name="variant"/> picks one of 8 pictures.</summary>
    public static byte[] Create(int width, int height, int variant, ImageContent content) =>
        Cache.GetOrAdd((width, height, variant & 7, content), static key => Render(key.Item1, key.Item2, key.Item3, key.Item4));

    private static byte[] Render(int width, int height, int variant, ImageContent content)
    {
        using var idat = new MemoryStream();
        using (var z = new ZLibStream(idat, content == ImageContent.Noise ? CompressionLevel.NoCompression : CompressionLevel.Fastest, leaveOpen: true))
        {
            var row = new byte[1 + (width * 3)];
            uint state = (uint)(0x9E3779B9 ^ (variant * 7919) ^ width ^ (height << 16)) | 1;
            for (var y = 0; y < height; y++)
            {
                row[0] = 0; // filter: none
                for (var x = 0; x < width; x++)
                {
                    var o = 1 + (x * 3);
                    if (content == ImageContent.Noise)
                    {
                        state ^= state << 13; state ^= state >> 17; state ^= state << 5;
                        row[o] = (byte)state; row[o + 1] = (byte)(state >> 8); row[o + 2] = (byte)(state >> 16);
                    }
                    else
                    {
                        row[o] = (byte)((x * 255 / Math.Max(1, width - 1)) + (variant * 31));
                        row[o + 1] = (byte)((y * 255 / Math.Max(1, height - 1)) + (variant * 17));
                        row[o + 2] = (byte)(((x / 64) + (y / 64)) % 2 == 0 ? 40 + (variant * 25) : 200);
                    }
                }
                z.Write(row);
            }
        }
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // colour type: RGB
        WriteChunk(png, "IHDR", ihdr);
        WriteChunk(png, "IDAT", idat.ToArray());
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream s, string type, byte[] data)
    {
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        s.Write(len);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        s.Write(typeBytes);
        s.Write(data);
        var crc = Crc(Crc(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(len, crc);
        s.Write(len);
    }

    private static uint Crc(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }
        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
            table[n] = c;
        }
        return table;
    }

    /// <summary>png, jpeg, webp or null, by the file's bytes.</summary>
    public static string? DetectFormat(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 8 && head[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) { return "png"; }
        if (head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF) { return "jpeg"; }
        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8)) { return "webp"; }
        return null;
    }

    /// <summary>Width and height from a PNG's IHDR.</summary>
    public static bool TryReadSize(ReadOnlySpan<byte> png, out int width, out int height)
    {
        width = height = 0;
        if (DetectFormat(png) != "png" || png.Length < 24 || !png[12..16].SequenceEqual("IHDR"u8)) { return false; }
        width = BinaryPrimitives.ReadInt32BigEndian(png[16..]);
        height = BinaryPrimitives.ReadInt32BigEndian(png[20..]);
        return true;
    }
}
