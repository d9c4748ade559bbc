using System.Text.RegularExpressions;
using GptImage.Files;
using GptImage.Gallery;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace GptImage.Tests.Client;

public sealed class GalleryTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gptimage-gallery-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Image(string name, int width, int height, Action<Image<Rgba32>, string>? save = null)
    {
        var path = Path.Combine(_folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var image = new Image<Rgba32>(width, height, new Rgba32(200, 40, 40, 255));
        (save ?? ((i, p) => i.SaveAsPng(p)))(image, path);
        return path;
    }

    private string Page(IReadOnlyList<GalleryCard> cards, string title = "Batch")
    {
        using var writer = new StringWriter();
        GalleryPage.Write(writer, title, cards, _folder, new Thumbnails());
        return writer.ToString();
    }

    private static List<string> Thumbnails(string html) =>
        Regex.Matches(html, "<img src=\"data:image/jpeg;base64,(?<b64>[^\"]+)\"").Select(m => m.Groups["b64"].Value).ToList();

    [Fact]
    public void Every_prediction_gets_one_card_with_its_facts_and_an_embedded_jpeg_thumbnail()
    {
        var png = Image("out/a-0.png", 1536, 1024);
        var jpeg = Image("out/b-0.jpeg", 1024, 1536, (i, p) => i.SaveAsJpeg(p));
        var webp = Image("out/c-0.webp", 1024, 1024, (i, p) => i.SaveAsWebp(p));
        var cards = new[]
        {
            new GalleryCard { Id = "a", Status = "completed", Model = "gpt-image-1", Prompt = "a red square", Size = "1536*1024", Quality = "low", Usd = 0.016m, Files = [png], InferenceTime = TimeSpan.FromSeconds(2.5) },
            new GalleryCard { Id = "b", Status = "completed", Model = "gpt-image-1-mini", Prompt = "tall", Files = [jpeg] },
            new GalleryCard { Id = "c", Status = "completed", Model = "gpt-image-1.5", Prompt = "square", Files = [webp] },
        };

        var html = Page(cards);

        Assert.Equal(3, Regex.Count(html, "<article class=\"card\""));
        var thumbnails = Thumbnails(html);
        Assert.Equal(3, thumbnails.Count);
        var sizes = thumbnails.Select(b64 =>
        {
            var bytes = Convert.FromBase64String(b64);
            Assert.Equal(new byte[] { 0xFF, 0xD8 }, bytes.Take(2));
            using var decoded = SixLabors.ImageSharp.Image.Load<Rgba32>(bytes);
            return (decoded.Width, decoded.Height);
        }).ToList();
        Assert.Equal([(256, 171), (171, 256), (256, 256)], sizes);
        Assert.Contains("<dt>size</dt><dd>1536*1024</dd>", html);
        Assert.Contains("<dt>quality</dt><dd>low</dd>", html);
        Assert.Contains("<dt>cost</dt><dd>$0.016</dd>", html);
        Assert.Contains("<dt>inference</dt><dd>2.5 s</dd>", html);
        Assert.Contains("href=\"out/a-0.png\"", html);
        Assert.Contains("3 predictions · 3 completed · $0.016 for 1 completed prediction", html);
    }

    [Fact]
    public void The_total_is_what_completed_predictions_cost_and_the_rest_is_counted_apart()
    {
        var html = Page([
            new GalleryCard { Id = "a", Status = "completed", Prompt = "x", Usd = 0.011m },
            new GalleryCard { Id = "b", Status = "completed", Prompt = "y", Usd = 0.042m },
            new GalleryCard { Id = "c", Status = "failed", Prompt = "z", Usd = 0.167m, Error = "refused" },
            new GalleryCard { Id = "d", Status = "processing", Prompt = "w", Usd = 0.25m },
        ]);
        Assert.Contains("4 predictions · 2 completed · 1 failed · 1 processing · $0.053 for 2 completed predictions · 2 failed or unfinished, not in the total", html);
    }

    [Fact]
    public void A_failed_prediction_shows_its_reason_and_code_and_no_image()
    {
        var html = Page([new GalleryCard { Id = "f", Status = "failed", Prompt = "x", Error = "Content flagged by moderation", ErrorCode = 1200 }]);
        Assert.Contains("<article class=\"card\" data-status=\"failed\"", html);
        Assert.Contains("<p class=\"reason\">Content flagged by moderation (code 1200)</p>", html);
        Assert.Empty(Thumbnails(html));
        Assert.Contains("<button type=\"button\" data-filter=\"failed\"", html);
    }

    [Fact]
    public void Text_from_the_service_or_the_user_is_encoded_so_the_page_runs_none_of_it()
    {
        var html = Page([new GalleryCard
        {
            Id = "\"><script>alert(1)</script>", Status = "failed\" onclick=\"x", Model = "<b>m</b>",
            Prompt = "<img src=x onerror=alert(2)>", Error = "</p><script>alert(3)</script>",
        }], title: "<script>alert(4)</script>");
        Assert.Single(Regex.Matches(html, "<script>"));
        Assert.DoesNotContain("onerror=alert", html.Replace("onerror=alert(2)&gt;", string.Empty, StringComparison.Ordinal));
        Assert.Contains("&lt;img src=x onerror=alert(2)&gt;", html);
        Assert.Contains("data-status=\"failed&quot; onclick=&quot;x\"", html);
    }

    [Fact]
    public void The_page_needs_no_network_and_names_no_other_host()
    {
        var png = Image("a.png", 64, 64);
        var html = Page([new GalleryCard { Id = "a", Status = "completed", Prompt = "p", Files = [png] }]);
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);
        Assert.DoesNotContain("<link", html);
        Assert.DoesNotContain("<script src", html);
    }

    [Fact]
    public void An_edit_shows_its_source_image_and_a_file_elsewhere_is_linked_by_file_uri()
    {
        var source = Image("shots/in put.png", 32, 32);
        var elsewhere = Path.Combine(Directory.CreateTempSubdirectory("gptimage-elsewhere-").FullName, "out.png");
        using (var image = new Image<Rgba32>(16, 16)) { image.SaveAsPng(elsewhere); }
        try
        {
            var html = Page([new GalleryCard { Id = "e", Status = "completed", Prompt = "edit", SourcePath = source, Files = [elsewhere] }]);
            Assert.Contains("edited from <a href=\"shots/in%20put.png\"><img src=\"data:image/jpeg;base64,", html);
            Assert.Contains($"href=\"{new Uri(elsewhere).AbsoluteUri}\"", html);
            Assert.Equal(2, Thumbnails(html).Count);
        }
        finally { Directory.Delete(Path.GetDirectoryName(elsewhere)!, recursive: true); }
    }

    [Fact]
    public void A_missing_or_unreadable_file_is_linked_without_a_preview()
    {
        var notAnImage = Path.Combine(_folder, "notes.png");
        File.WriteAllText(notAnImage, "not an image");
        var html = Page([new GalleryCard { Id = "m", Status = "completed", Prompt = "p", Files = [Path.Combine(_folder, "gone.png"), notAnImage] }]);
        Assert.Empty(Thumbnails(html));
        Assert.Equal(2, Regex.Count(html, "no preview"));
    }

    [Fact]
    public void An_image_larger_than_any_output_is_measured_from_its_header_and_never_decoded()
    {
        // A PNG header claiming 20000x20000 pixels, with nothing behind it: decoding would allocate 1.6 GB.
        var bomb = Path.Combine(_folder, "bomb.png");
        File.WriteAllBytes(bomb, PngHeader(20000, 20000));
        var html = Page([new GalleryCard { Id = "b", Status = "completed", Prompt = "p", Files = [bomb] }]);
        Assert.Empty(Thumbnails(html));
        Assert.Contains("no preview", html);
    }

    [Fact]
    public void A_transparent_image_is_shown_on_white()
    {
        var path = Path.Combine(_folder, "clear.png");
        using (var transparent = new Image<Rgba32>(64, 64, new Rgba32(0, 0, 0, 0))) { transparent.SaveAsPng(path); }
        var thumbnail = Assert.Single(Thumbnails(Page([new GalleryCard { Id = "t", Status = "completed", Files = [path] }])));
        using var decoded = SixLabors.ImageSharp.Image.Load<Rgb24>(Convert.FromBase64String(thumbnail));
        Assert.True(decoded[10, 10].R > 245 && decoded[10, 10].G > 245 && decoded[10, 10].B > 245, $"pixel {decoded[10, 10]}");
    }

    [Fact]
    public void The_same_source_image_is_made_into_a_thumbnail_once_per_page()
    {
        var source = Image("src.png", 64, 64);
        var cards = Enumerable.Range(0, 3).Select(i => new GalleryCard { Id = $"e{i}", Status = "completed", SourcePath = source }).ToList();
        var html = Page(cards);
        Assert.Single(Thumbnails(html).Distinct());
        Assert.Equal(3, Thumbnails(html).Count);
    }

    [Fact]
    public void A_page_file_is_written_whole_or_not_at_all_and_never_over_another_without_force()
    {
        var target = Path.Combine(_folder, "review.html");
        File.WriteAllText(target, "mine");
        using (var file = AtomicFile.Create(_folder))
        {
            file.Stream.Write("<html></html>"u8);
            var e = Assert.Throws<GptImageException>(() => file.CommitAs(target, overwrite: false));
            Assert.Equal(GptImageErrorKind.FileExists, e.Kind);
        }
        Assert.Equal("mine", File.ReadAllText(target));
        Assert.Equal(["review.html"], Directory.GetFiles(_folder).Select(Path.GetFileName));
        using (var file = AtomicFile.Create(_folder))
        {
            file.Stream.Write("<html></html>"u8);
            file.CommitAs(target, overwrite: true);
        }
        Assert.Equal("<html></html>", File.ReadAllText(target));
    }

    private static byte[] PngHeader(int width, int height)
    {
        var ihdr = new byte[17];
        "IHDR"u8.CopyTo(ihdr);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(8), height);
        ihdr[12] = 8; // bit depth
        ihdr[13] = 6; // RGBA
        var crc = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(ihdr));
        return [.. new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13 }, .. ihdr, .. crc];
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1; }
        }
        return ~crc;
    }
}
