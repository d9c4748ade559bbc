using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using GptImage.Images;

namespace GptImage.Gallery;

/// <summary>
/// Writes one self-contained HTML page for a batch: a card per prediction with its thumbnail (a JPEG
/// embedded as a data URI), prompt, model, size, quality, status, cost, timings, the source image of an
/// edit and the reason of a failure, links to the full files, and filtering and sorting that run in the
/// page itself. No network is needed to open it: no CDN, no external file but the linked images.
/// </summary>
internal static class GalleryPage
{
    /// <summary>
    /// Writes the page for <paramref name="cards"/>; <paramref name="folder"/> is where the page lives, for relative
    /// links. <paramref name="cardWritten"/> hears the count of cards written so far (progress, and a place to stop).
    /// </summary>
    public static void Write(TextWriter writer, string title, IReadOnlyList<GalleryCard> cards, string folder, Thumbnails thumbnails, Action<int>? cardWritten = null)
    {
        var statuses = cards.Select(c => c.Status).Distinct(StringComparer.Ordinal).OrderBy(s => s, StringComparer.Ordinal).ToList();
        // What was spent: completed predictions only. A failed or unfinished one is counted apart, never added to it.
        var spent = cards.Where(c => c.Status == PredictionStatus.Completed && c.Usd is not null).ToList();
        var notDone = cards.Count(c => c.Status != PredictionStatus.Completed);
        writer.Write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        writer.Write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        writer.Write("<meta name=\"generator\" content=\"GptImage Export-GptImageGallery\">\n");
        writer.Write($"<title>{Encode(title)}</title>\n<style>{Style}</style>\n</head>\n<body>\n");
        writer.Write($"<header><h1>{Encode(title)}</h1>\n<p class=\"summary\">");
        var parts = new[] { Count(cards.Count, "prediction") }
            .Concat(statuses.Select(s => $"{cards.Count(c => c.Status == s)} {s}"))
            .Concat(spent.Count > 0 ? new[] { $"{Money(spent.Sum(c => c.Usd!.Value))} for {Count(spent.Count, "completed prediction")}" } : Array.Empty<string>())
            .Concat(notDone > 0 ? new[] { $"{notDone} failed or unfinished, not in the total" } : Array.Empty<string>());
        writer.Write(string.Join(" · ", parts.Select(Encode)));
        writer.Write("</p>\n<nav><span>Show</span> <button type=\"button\" data-filter=\"\" aria-pressed=\"true\">all</button>");
        foreach (var status in statuses)
        {
            writer.Write($" <button type=\"button\" data-filter=\"{Encode(status)}\" aria-pressed=\"false\">{Encode(status)}</button>");
        }
        writer.Write(" <label>Sort <select id=\"sort\"><option value=\"index\">as piped</option><option value=\"created\">newest first</option>");
        writer.Write("<option value=\"status\">status</option><option value=\"cost\">cost, highest first</option><option value=\"model\">model</option></select></label></nav>\n</header>\n");
        writer.Write("<main id=\"grid\">\n");
        for (var i = 0; i < cards.Count; i++)
        {
            WriteCard(writer, cards[i], i, folder, thumbnails);
            cardWritten?.Invoke(i + 1);
        }
        writer.Write($"</main>\n<script>{Script}</script>\n</body>\n</html>\n");
    }

    private static void WriteCard(TextWriter writer, GalleryCard card, int index, string folder, Thumbnails thumbnails)
    {
        writer.Write($"<article class=\"card\" data-status=\"{Encode(card.Status)}\" data-index=\"{index}\"");
        writer.Write($" data-created=\"{card.CreatedAt?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) ?? "0"}\"");
        writer.Write($" data-cost=\"{card.Usd?.ToString(CultureInfo.InvariantCulture) ?? "-1"}\" data-model=\"{Encode(card.Model)}\">\n");
        writer.Write("<div class=\"images\">");
        var shown = 0;
        foreach (var file in card.Files)
        {
            var thumbnail = thumbnails.DataUriOf(file);
            writer.Write($"<a class=\"output\" href=\"{Encode(LinkTo(file, folder))}\">");
            writer.Write(thumbnail is null
                ? $"<span class=\"missing\">{Encode(Path.GetFileName(file))}<br>no preview</span>"
                : $"<img src=\"{thumbnail}\" alt=\"{Encode(card.Prompt ?? Path.GetFileName(file))}\" loading=\"lazy\">");
            writer.Write("</a>");
            shown++;
        }
        if (shown == 0)
        {
            writer.Write($"<span class=\"missing\">{(card.Status == PredictionStatus.Completed ? "not saved" : Encode(card.Status))}</span>");
        }
        writer.Write("</div>\n");
        if (card.Error is not null)
        {
            var code = card.ErrorCode is { } c ? $" (code {c.ToString(CultureInfo.InvariantCulture)})" : string.Empty;
            writer.Write($"<p class=\"reason\">{Encode(card.Error + code)}</p>\n");
        }
        writer.Write($"<p class=\"prompt\">{Encode(card.Prompt ?? "(prompt not known)")}</p>\n");
        if (card.SourcePath is not null)
        {
            var source = thumbnails.DataUriOf(card.SourcePath, ImageOrigin.UserFile);
            writer.Write($"<p class=\"source\">edited from <a href=\"{Encode(LinkTo(card.SourcePath, folder))}\">");
            if (source is not null) { writer.Write($"<img src=\"{source}\" alt=\"source image\">"); }
            writer.Write($"{Encode(Path.GetFileName(card.SourcePath))}</a></p>\n");
        }
        writer.Write("<dl>");
        Fact(writer, "status", card.Status, "status status-" + card.Status);
        Fact(writer, "model", card.Model);
        Fact(writer, "size", card.Size);
        Fact(writer, "quality", card.Quality);
        Fact(writer, "cost", card.Usd is { } usd ? Money(usd) : null);
        Fact(writer, "created", card.CreatedAt?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
        Fact(writer, "inference", card.InferenceTime is { } t ? t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s" : null);
        Fact(writer, "provider", card.Provider);
        Fact(writer, "id", card.Id, "id");
        writer.Write("</dl>\n</article>\n");
    }

    private static void Fact(TextWriter writer, string name, string? value, string? cssClass = null)
    {
        if (string.IsNullOrEmpty(value)) { return; }
        var attribute = cssClass is null ? string.Empty : $" class=\"{Encode(cssClass)}\"";
        writer.Write($"<dt>{name}</dt><dd{attribute}>{Encode(value)}</dd>");
    }

    /// <summary>A link from the page to a file: relative when the file is below the page's folder, else a file URI.</summary>
    internal static string LinkTo(string path, string folder)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var comparison = Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (full.StartsWith(root, comparison))
        {
            var relative = full.Substring(root.Length).Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
            return string.Join("/", relative.Select(Uri.EscapeDataString));
        }
        return new Uri(full).AbsoluteUri;
    }

    private static string Encode(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    private static string Money(decimal usd) => "$" + usd.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Count(int n, string noun) => $"{n} {noun}{(n == 1 ? string.Empty : "s")}";

    private const string Style =
        "body{font:14px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;background:#f4f4f5;color:#18181b}" +
        "header{position:sticky;top:0;background:#fff;border-bottom:1px solid #ddd;padding:8px 16px;z-index:1}" +
        "h1{font-size:18px;margin:4px 0}.summary{margin:2px 0 6px;color:#52525b}" +
        "nav button{border:1px solid #aaa;background:#fff;border-radius:12px;padding:2px 10px;cursor:pointer}" +
        "nav button[aria-pressed=true]{background:#18181b;color:#fff}nav label{margin-left:12px}" +
        "#grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:12px;padding:16px}" +
        ".card{background:#fff;border:1px solid #ddd;border-radius:8px;padding:8px;overflow:hidden}" +
        ".card[data-status=failed]{border-color:#dc2626}.card.hidden{display:none}" +
        ".images{display:flex;flex-wrap:wrap;gap:4px;min-height:64px;align-items:center;justify-content:center;background:#fafafa}" +
        ".images img{max-width:100%;height:auto;display:block}.missing{color:#71717a;padding:16px;text-align:center}" +
        ".reason{color:#b91c1c;font-weight:600;margin:6px 0}.prompt{margin:6px 0;white-space:pre-wrap;word-break:break-word}" +
        ".source img{height:32px;vertical-align:middle;margin:0 4px}" +
        "dl{display:grid;grid-template-columns:auto 1fr;gap:0 8px;margin:0;font-size:12px}dt{color:#71717a}dd{margin:0;word-break:break-all}" +
        ".status-completed{color:#15803d}.status-failed{color:#b91c1c}";

    private const string Script =
        "(function(){var grid=document.getElementById('grid');" +
        "var cards=Array.prototype.slice.call(grid.querySelectorAll('.card'));" +
        "var buttons=document.querySelectorAll('nav button');" +
        "Array.prototype.forEach.call(buttons,function(b){b.addEventListener('click',function(){" +
        "var f=b.getAttribute('data-filter');" +
        "Array.prototype.forEach.call(buttons,function(o){o.setAttribute('aria-pressed',o===b?'true':'false');});" +
        "cards.forEach(function(c){c.classList.toggle('hidden',f!==''&&c.getAttribute('data-status')!==f);});});});" +
        "var keys={index:function(c){return +c.getAttribute('data-index');},created:function(c){return -c.getAttribute('data-created');}," +
        "status:function(c){return c.getAttribute('data-status');},cost:function(c){return -c.getAttribute('data-cost');}," +
        "model:function(c){return c.getAttribute('data-model');}};" +
        "document.getElementById('sort').addEventListener('change',function(e){var k=keys[e.target.value];" +
        "cards.sort(function(a,b){var x=k(a),y=k(b);return x<y?-1:x>y?1:(+a.getAttribute('data-index'))-(+b.getAttribute('data-index'));});" +
        "cards.forEach(function(c){grid.appendChild(c);});});" +
        // A link to the page can name a filter: review.html#status=failed.
        "var m=/^#status=(.*)$/.exec(location.hash);if(m){Array.prototype.forEach.call(buttons,function(b){" +
        "if(b.getAttribute('data-filter')===decodeURIComponent(m[1])){b.click();}});}})();";
}
