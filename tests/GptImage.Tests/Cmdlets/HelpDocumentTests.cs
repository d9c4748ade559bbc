using System.Text.RegularExpressions;
using GptImage.Http.Auth;
using GptImage.Http;
using GptImage.Operations;

namespace GptImage.Tests.Cmdlets;

/// <summary>docs/cmdlets is the user's help: it must document exactly what each cmdlet declares.</summary>
public sealed class HelpDocumentTests
{
    private static readonly string[] ShouldProcessParameters = ["Confirm", "WhatIf"];

    public static TheoryData<string> CmdletNames()
    {
        var data = new TheoryData<string>();
        foreach (var cmdlet in ModuleMetadata.Cmdlets()) { data.Add(cmdlet.Name); }
        return data;
    }

    private static string Doc(string cmdlet)
    {
        var path = ModuleMetadata.OutputFile($"docs/{cmdlet}.md");
        Assert.True(File.Exists(path), $"docs/cmdlets/{cmdlet}.md is missing");
        return File.ReadAllText(path);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Each_cmdlet_documents_exactly_the_parameters_it_declares(string cmdlet)
    {
        var info = ModuleMetadata.Cmdlet(cmdlet);
        var declared = ModuleMetadata.Parameters(info.Type).Select(p => p.Name).ToList();
        if (info.Options.TryGetValue("SupportsShouldProcess", out var sp) && (bool)sp!) { declared.AddRange(ShouldProcessParameters); }
        var documented = Regex.Matches(Doc(cmdlet), @"^### -(\w+)\s*$", RegexOptions.Multiline).Select(m => m.Groups[1].Value);
        Assert.Equal(declared.Order(), documented.Order());
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Each_documented_parameter_has_the_declared_type_and_no_generic_one(string cmdlet)
    {
        var doc = Doc(cmdlet);
        foreach (var parameter in ModuleMetadata.Parameters(ModuleMetadata.Cmdlet(cmdlet).Type))
        {
            var type = parameter.Property.PropertyType.Name;
            // Get-Help prints a generic type as "Nullable`1": parameters use plain types and enums.
            Assert.DoesNotContain("`", type, StringComparison.Ordinal);
            var documented = Regex.Match(doc, $@"^### -{parameter.Name}\s*\n(?:.*\n)*?```yaml\nType: (\S+)", RegexOptions.Multiline);
            Assert.True(documented.Success, $"{cmdlet} -{parameter.Name} has no Type line");
            Assert.Equal(type, documented.Groups[1].Value);
            // A switch is [-Name], or -Name alone where it is mandatory in a set of its own (Get-GptImagePrediction -Pending).
            var syntax = type == "SwitchParameter" ? $@"\[-{parameter.Name}\]| -{parameter.Name} \[" : $@"-{parameter.Name}\]? <{Regex.Escape(type)}>";
            Assert.Matches(syntax, doc);
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Each_cmdlet_has_synopsis_syntax_description_and_at_least_three_examples(string cmdlet)
    {
        var doc = Doc(cmdlet);
        foreach (var section in new[] { "## SYNOPSIS", "## SYNTAX", "## DESCRIPTION", "## EXAMPLES", "## PARAMETERS", "## INPUTS", "## OUTPUTS" })
        {
            Assert.Contains(section, doc);
        }
        var examples = Regex.Matches(doc, @"^### Example \d+: [^\n]+\n\n```powershell\n(.+?)\n```", RegexOptions.Multiline | RegexOptions.Singleline);
        Assert.True(examples.Count >= 3, $"{cmdlet} has {examples.Count} examples");
        // Each example shows the cmdlet it documents (Pester's Examples.Tests.ps1 runs them and checks what they do).
        Assert.All(examples, e => Assert.Contains(cmdlet, e.Groups[1].Value, StringComparison.Ordinal));
        Assert.Contains($"# {cmdlet}", doc);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Each_documented_default_is_a_value_the_parameter_can_take(string cmdlet)
    {
        // A number type's default is a number of that type, or None (not given: then the text says what applies).
        var parse = new Dictionary<string, Func<string, bool>>
        {
            ["Int32"] = v => int.TryParse(v, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out _),
            ["Int64"] = v => long.TryParse(v, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out _),
            ["SwitchParameter"] = v => v == "False",
        };
        var doc = Doc(cmdlet);
        var checkedCount = 0;
        foreach (Match m in Regex.Matches(doc, @"^### -(?<name>\w+)\s*\n(?:.*\n)*?Type: (?<type>\S+)\n(?:.*\n)*?Default value: (?<value>[^\n]*)", RegexOptions.Multiline))
        {
            var value = m.Groups["value"].Value.Trim();
            var first = value.Split(' ')[0];
            if (first == "None" || !parse.TryGetValue(m.Groups["type"].Value, out var takes)) { continue; }
            Assert.True(takes(first), $"{cmdlet} -{m.Groups["name"].Value} ({m.Groups["type"].Value}) documents the default '{value}'");
            checkedCount++;
        }
        if (ModuleMetadata.Parameters(ModuleMetadata.Cmdlet(cmdlet).Type).Any(p => p.Name == "TimeoutSec")) { Assert.True(checkedCount > 0); }
    }

    [Fact]
    public void The_about_topic_lists_every_cmdlet_and_provider()
    {
        var about = File.ReadAllText(ModuleMetadata.OutputFile("docs/about_GptImage.md"));
        Assert.All(ModuleMetadata.Cmdlets(), c => Assert.Contains(c.Name, about));
        Assert.All(Enum.GetNames<GptImage.ProviderKind>(), p => Assert.Contains(p, about));
        Assert.All(Enum.GetValues<GptImage.ProviderKind>(), p => Assert.Contains(GptImage.Http.Auth.ApiCredential.Variable(p), about));
    }

    [Fact]
    public void The_about_topic_documents_every_ErrorId_the_cmdlets_report_and_no_other()
    {
        var about = File.ReadAllText(ModuleMetadata.OutputFile("docs/about_GptImage.md"));
        var ids = GptImage.GptImageException.ErrorIds;
        Assert.All(Enum.GetValues<GptImage.GptImageErrorKind>(), k => Assert.Contains(GptImage.GptImageException.IdOf(k), ids));
        var documented = Regex.Matches(about, @"\bGptImage\.(?!Prediction\b)[A-Z]\w+").Select(m => m.Value).Distinct().ToList();
        Assert.Equal(ids.Order(), documented.Order());
    }

    [Fact]
    public void about_GptImage_documents_every_ErrorId()
    {
        var about = Doc("about_GptImage");
        foreach (var kind in Enum.GetValues<GptImage.GptImageErrorKind>())
        {
            Assert.Contains("GptImage." + kind, about, StringComparison.Ordinal);
        }
        Assert.Contains(GptImage.Operations.ErrorInfo.Of(GptImage.Http.Auth.ApiCredential.Missing(GptImage.ProviderKind.WaveSpeed), null).ErrorId, about, StringComparison.Ordinal);
    }
}
