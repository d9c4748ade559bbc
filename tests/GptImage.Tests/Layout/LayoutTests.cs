using System.Reflection;
using System.Text.RegularExpressions;
using GptImage.Files;
using Xunit.Abstractions;

namespace GptImage.Tests.Layout;

/// <summary>
/// The module's layout, as README's Architecture section draws it: domain folders ranked from the cmdlets down to
/// the model; a folder uses only folders ranked below it (the one way up is an interface defined low and implemented
/// high); the namespace is the folder (Model keeps <c>GptImage</c>); at most 14 files a folder and 250 lines a file;
/// System.Management.Automation only in Module and Commands. The listing is written to the test output.
/// </summary>
public sealed partial class LayoutTests(ITestOutputHelper output)
{
    /// <summary>The rank, top first. Folders on one line are peers: they do not use each other.</summary>
    internal static readonly string[][] Rank =
    [
        ["Module"],
        ["Commands"],
        ["Commands/Base"],
        ["Commands/Completers"],
        ["Commands/Arguments"],
        ["Operations"],
        ["Session"],
        ["Providers/WaveSpeed", "Providers/ImagesApi"],
        ["Providers"],
        ["Requests", "Polling", "Gallery"],
        ["Journal"],
        ["Files"],
        ["Images"],
        ["Http"],
        ["Http/Auth"],
        ["Http/Retry"],
        ["Model"],
    ];

    private const int MaxFiles = 14;
    private const int MaxLines = 250;

    /// <summary>A cohesive scanner kept whole (named in README's Architecture section).</summary>
    private static readonly string[] AllowedLong = ["Base64OutputReader.cs"];

    private static readonly string Source = Path.GetFullPath(
        typeof(LayoutTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ModuleSource").Value!);

    [Fact]
    public void Every_folder_uses_only_folders_ranked_below_it_and_the_folder_graph_has_no_cycle()
    {
        var layout = Read();
        var rank = Rank.SelectMany((peers, i) => peers.Select(f => (f, i))).ToDictionary(p => p.f, p => p.i);
        foreach (var folder in layout.Files.Keys.Order()) { output.WriteLine($"{folder}: {layout.Files[folder].Count} files"); }
        var unranked = layout.Files.Keys.Where(f => f != "." && !rank.ContainsKey(f)).ToList();
        Assert.True(unranked.Count == 0, "Folders without a rank: " + string.Join(", ", unranked));
        var back = layout.Edges.Where(e => e.From != "." && e.To != "." && rank.ContainsKey(e.To) && rank[e.From] >= rank[e.To])
            .Select(e => $"{e.File} ({e.From}) uses {e.Type} ({e.To})").ToList();
        foreach (var edge in back) { output.WriteLine("back edge: " + edge); }
        Assert.Empty(back);
        Assert.Empty(Cycles(layout.Edges.Select(e => (e.From, e.To)).Distinct().ToList()));
    }

    [Fact]
    public void The_namespace_is_the_folder_and_Model_keeps_GptImage()
    {
        var wrong = new List<string>();
        foreach (var (path, text) in Read().Text)
        {
            var folder = FolderOf(path);
            var expected = folder is "." or "Model" ? "GptImage" : "GptImage." + folder.Replace('/', '.');
            var declared = NamespacePattern().Match(text).Groups[1].Value;
            if (declared.Length > 0 && !declared.StartsWith("System", StringComparison.Ordinal) && declared != expected)
            {
                wrong.Add($"{path}: {declared} (folder says {expected})");
            }
        }
        Assert.Empty(wrong);
    }

    [Fact]
    public void Folders_hold_at_most_14_files_and_files_at_most_250_lines()
    {
        var layout = Read();
        Assert.Empty(layout.Files.Where(f => f.Value.Count > MaxFiles).Select(f => $"{f.Key}: {f.Value.Count} files"));
        Assert.Empty(layout.Text.Where(t => !AllowedLong.Contains(Path.GetFileName(t.Key)) && t.Value.Count(c => c == '\n') > MaxLines)
            .Select(t => $"{t.Key}: {t.Value.Count(c => c == '\n')} lines"));
    }

    [Fact]
    public void PowerShell_is_used_only_by_the_module_initializer_and_the_commands()
    {
        var outside = Read().Text.Where(t => Code(t.Value).Contains("System.Management.Automation", StringComparison.Ordinal))
            .Select(t => t.Key).Where(p => !p.StartsWith("Module/", StringComparison.Ordinal) && !p.StartsWith("Commands/", StringComparison.Ordinal));
        Assert.Empty(outside);
    }

    private sealed record Edge(string From, string To, string File, string Type);

    private sealed record LayoutFacts(Dictionary<string, string> Text, Dictionary<string, List<string>> Files, List<Edge> Edges);

    private static LayoutFacts Read()
    {
        var text = Directory.GetFiles(Source, "*.cs", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Source, p).Replace('\\', '/'))
            .Where(p => !p.StartsWith("obj/", StringComparison.Ordinal) && !p.StartsWith("bin/", StringComparison.Ordinal))
            .ToDictionary(p => p, p => File.ReadAllText(Path.Combine(Source, p)));
        var code = text.ToDictionary(t => t.Key, t => Code(t.Value));
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, body) in code)
        {
            foreach (Match m in TypePattern().Matches(body)) { owner.TryAdd(m.Groups[1].Value, path); }
        }
        var edges = new List<Edge>();
        foreach (var (path, body) in code)
        {
            foreach (var word in WordPattern().Matches(body).Select(m => m.Value).Distinct())
            {
                if (owner.TryGetValue(word, out var other) && FolderOf(other) != FolderOf(path))
                {
                    edges.Add(new Edge(FolderOf(path), FolderOf(other), path, word));
                }
            }
        }
        foreach (var (path, body) in text)
        {
            // A using directive is a dependency too, even where only a comment needs it.
            foreach (Match m in UsingPattern().Matches(body))
            {
                var folder = m.Groups[1].Value is { Length: > 0 } sub ? sub.TrimStart('.').Replace('.', '/') : "Model";
                if (folder != FolderOf(path)) { edges.Add(new Edge(FolderOf(path), folder, path, "using " + m.Value.Trim())); }
            }
        }
        var files = text.Keys.GroupBy(FolderOf).ToDictionary(g => g.Key, g => g.ToList());
        return new LayoutFacts(text, files, edges);
    }

    private static string FolderOf(string path) => Path.GetDirectoryName(path)?.Replace('\\', '/') is { Length: > 0 } d ? d : ".";

    /// <summary>The code without comments and string literals, so only real type references count.</summary>
    private static string Code(string text) =>
        StringPattern().Replace(BlockCommentPattern().Replace(LineCommentPattern().Replace(text, ""), ""), "\"\"");

    /// <summary>Strongly connected components of more than one folder.</summary>
    private static List<List<string>> Cycles(List<(string From, string To)> edges)
    {
        var nodes = edges.SelectMany(e => new[] { e.From, e.To }).Distinct().ToList();
        var reach = nodes.ToDictionary(n => n, n => Reachable(n, edges));
        return nodes.Select(n => nodes.Where(m => m != n && reach[n].Contains(m) && reach[m].Contains(n)).Append(n).Order().ToList())
            .Where(c => c.Count > 1).DistinctBy(c => string.Join("|", c)).ToList();
    }

    private static HashSet<string> Reachable(string from, List<(string From, string To)> edges)
    {
        var seen = new HashSet<string>();
        var queue = new Queue<string>([from]);
        while (queue.Count > 0)
        {
            foreach (var next in edges.Where(e => e.From == queue.Peek()).Select(e => e.To)) { if (seen.Add(next)) { queue.Enqueue(next); } }
            queue.Dequeue();
        }
        return seen;
    }

    [GeneratedRegex(@"^\s*(?:public|internal)\s+(?:sealed\s+|abstract\s+|static\s+|readonly\s+|partial\s+)*(?:class|struct|enum|record|interface)\s+(\w+)", RegexOptions.Multiline)]
    private static partial Regex TypePattern();

    [GeneratedRegex(@"^using GptImage((?:\.\w+)*);", RegexOptions.Multiline)]
    private static partial Regex UsingPattern();

    [GeneratedRegex(@"\b[A-Z]\w*\b")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"^\s*namespace\s+([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespacePattern();

    [GeneratedRegex(@"(?m)(?<=^|\s)//[^\n]*")]
    private static partial Regex LineCommentPattern();

    [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex BlockCommentPattern();

    [GeneratedRegex(@"""(?:[^""\\\n]|\\.)*""")]
    private static partial Regex StringPattern();
}
