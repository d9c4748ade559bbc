using System.Reflection;
using System.Text.RegularExpressions;
using GptImage.Commands.Arguments;
using GptImage.Commands.Base;
using GptImage.Http.Auth;
using GptImage.Http;
using GptImage.Operations;

namespace GptImage.Tests.Cmdlets;

public sealed class CmdletMetadataTests
{
    private static readonly string[] Expected =
        ["New-GptImage", "Edit-GptImage", "Get-GptImagePrediction", "Wait-GptImagePrediction", "Save-GptImage", "Connect-GptImage", "Disconnect-GptImage",
         "Export-GptImageGallery", "Get-GptImageBalance", "Get-GptImageWebhookSecret", "Test-GptImageWebhookSignature", "ConvertFrom-GptImageWebhook"];

    private static string[] ManifestCmdlets()
    {
        var text = File.ReadAllText(ModuleMetadata.OutputFile("docs/GptImage.psd1"));
        var list = Regex.Match(text, @"CmdletsToExport\s*=\s*@\(([^)]*)\)", RegexOptions.Singleline).Groups[1].Value;
        return Regex.Matches(list, "'([^']+)'").Select(m => m.Groups[1].Value).ToArray();
    }

    [Fact]
    public void The_manifest_exports_exactly_the_cmdlets_the_assembly_declares_and_both_editions()
    {
        Assert.Equal(Expected.Order(), ModuleMetadata.Cmdlets().Select(c => c.Name).Order());
        Assert.Equal(Expected.Order(), ManifestCmdlets().Order());
        var manifest = File.ReadAllText(ModuleMetadata.OutputFile("docs/GptImage.psd1"));
        Assert.Contains("CompatiblePSEditions = @('Core', 'Desktop')", manifest);
        Assert.Contains("FormatsToProcess     = @('GptImage.Format.ps1xml')", manifest);
        Assert.Contains("FunctionsToExport    = @()", manifest);
        Assert.Contains("AliasesToExport      = @()", manifest);
    }

    [Fact]
    public void Every_cmdlet_uses_an_approved_verb_and_declares_its_output_type()
    {
        var approved = ModuleMetadata.ApprovedVerbs();
        Assert.Contains("New", approved);
        foreach (var cmdlet in ModuleMetadata.Cmdlets())
        {
            Assert.Contains(cmdlet.Verb, approved);
            Assert.Contains(cmdlet.Type.GetCustomAttributesData(), a => a.AttributeType.Name == "OutputTypeAttribute");
        }
    }

    [Theory]
    [InlineData("New-GptImage", true)]
    [InlineData("Edit-GptImage", true)]
    [InlineData("Wait-GptImagePrediction", true)]
    [InlineData("Save-GptImage", true)]
    [InlineData("Get-GptImagePrediction", false)]
    [InlineData("Connect-GptImage", false)]
    [InlineData("Get-GptImageBalance", false)]
    [InlineData("Get-GptImageWebhookSecret", false)]
    [InlineData("Test-GptImageWebhookSignature", false)]
    [InlineData("ConvertFrom-GptImageWebhook", false)]
    public void Cmdlets_that_spend_money_or_write_files_support_ShouldProcess(string name, bool supports)
    {
        var options = ModuleMetadata.Cmdlet(name).Options;
        Assert.Equal(supports, options.TryGetValue("SupportsShouldProcess", out var value) && (bool)value!);
    }

    [Fact]
    public void New_takes_prompts_from_the_pipeline_by_value_and_by_property_name()
    {
        var prompt = Assert.Single(ModuleMetadata.Parameter("New-GptImage", "Prompt").Sets);
        Assert.Equal(true, prompt["Mandatory"]);
        Assert.Equal(0, prompt["Position"]);
        Assert.Equal(true, prompt["ValueFromPipeline"]);
        Assert.Equal(true, prompt["ValueFromPipelineByPropertyName"]);
    }

    [Fact]
    public void Edit_has_Path_LiteralPath_and_Uri_sets_and_binds_Get_ChildItem_output_by_PSPath()
    {
        Assert.Equal("Path", ModuleMetadata.Cmdlet("Edit-GptImage").Options["DefaultParameterSetName"]);
        var path = ModuleMetadata.Parameter("Edit-GptImage", "Path");
        Assert.Equal(("Path", true), ((string)path.Sets[0]["ParameterSetName"]!, (bool)path.Sets[0]["ValueFromPipeline"]!));
        Assert.Contains("SupportsWildcardsAttribute", path.Attributes);
        var literal = ModuleMetadata.Parameter("Edit-GptImage", "LiteralPath");
        Assert.Contains("PSPath", literal.Aliases);
        Assert.Equal(("LiteralPath", true), ((string)literal.Sets[0]["ParameterSetName"]!, (bool)literal.Sets[0]["ValueFromPipelineByPropertyName"]!));
        var uri = ModuleMetadata.Parameter("Edit-GptImage", "Uri");
        Assert.Equal("Uri", uri.Sets[0]["ParameterSetName"]);
        Assert.Equal(typeof(Uri[]).FullName, uri.Property.PropertyType.FullName);
        Assert.Contains("SwitchParameter", ModuleMetadata.Parameter("Edit-GptImage", "CombineImages").Property.PropertyType.Name);
    }

    [Fact]
    public void Webhook_cmdlets_bind_the_request_as_Azure_Functions_Automation_and_web_requests_hand_it_over()
    {
        var header = ModuleMetadata.Parameter("Test-GptImageWebhookSignature", "Header");
        Assert.Equal(new[] { "Headers", "RequestHeader" }, header.Aliases);
        Assert.Equal(true, Assert.Single(header.Sets)["ValueFromPipelineByPropertyName"]);
        var body = ModuleMetadata.Parameter("Test-GptImageWebhookSignature", "RawBody");
        Assert.Equal(new[] { "RequestBody", "Content" }, body.Aliases);
        Assert.Equal(new[] { "RequestBody", "Content" }, ModuleMetadata.Parameter("ConvertFrom-GptImageWebhook", "RawBody").Aliases);
        Assert.Contains("SecureStringTransformationAttribute", ModuleMetadata.Parameter("Test-GptImageWebhookSignature", "Secret").Attributes);
    }

    [Fact]
    public void Get_and_Wait_bind_ids_and_predictions_from_the_pipeline()
    {
        var id = Assert.Single(ModuleMetadata.Parameter("Get-GptImagePrediction", "Id").Sets);
        Assert.Equal((true, true), ((bool)id["ValueFromPipeline"]!, (bool)id["ValueFromPipelineByPropertyName"]!));
        var prediction = Assert.Single(ModuleMetadata.Parameter("Wait-GptImagePrediction", "Prediction").Sets);
        Assert.Equal(("Prediction", true), ((string)prediction["ParameterSetName"]!, (bool)prediction["ValueFromPipeline"]!));
        var waitId = Assert.Single(ModuleMetadata.Parameter("Wait-GptImagePrediction", "Id").Sets);
        Assert.Equal(("Id", true, true), ((string)waitId["ParameterSetName"]!, (bool)waitId["ValueFromPipeline"]!, (bool)waitId["ValueFromPipelineByPropertyName"]!));
        Assert.Equal("GptImage.Prediction[]", ModuleMetadata.Parameter("Save-GptImage", "Prediction").Property.PropertyType.FullName);
    }

    [Theory]
    [InlineData("New-GptImage")]
    [InlineData("Edit-GptImage")]
    [InlineData("Get-GptImagePrediction")]
    [InlineData("Wait-GptImagePrediction")]
    [InlineData("Save-GptImage")]
    public void Service_cmdlets_take_the_key_and_retry_parameters_the_web_cmdlets_name(string name)
    {
        var parameters = ModuleMetadata.Parameters(ModuleMetadata.Cmdlet(name).Type).ToDictionary(p => p.Name);
        Assert.Equal("System.Security.SecureString", parameters["ApiKey"].Property.PropertyType.FullName);
        Assert.Contains("SecureStringTransformationAttribute", parameters["ApiKey"].Attributes);
        Assert.Contains("MaximumRetryCount", parameters.Keys);
        Assert.Contains("RetryIntervalSec", parameters.Keys);
        if (name != "Get-GptImagePrediction")
        {
            Assert.Contains("TimeoutSec", parameters.Keys);
            Assert.Contains("OutputDirectory", parameters.Keys);
            Assert.Contains("OutFile", parameters.Keys);
            Assert.Contains("Force", parameters.Keys);
        }
    }

    [Theory]
    [InlineData("New-GptImage", "Model")]
    [InlineData("New-GptImage", "Size")]
    [InlineData("New-GptImage", "Quality")]
    [InlineData("Edit-GptImage", "Background")]
    [InlineData("Get-GptImagePrediction", "Model")]
    public void Models_sizes_and_qualities_are_tab_completed(string cmdlet, string parameter) =>
        Assert.Contains("ArgumentCompleterAttribute", ModuleMetadata.Parameter(cmdlet, parameter).Attributes);

    [Fact]
    public void Every_error_category_the_logic_names_exists_in_PowerShell()
    {
        var categories = ModuleMetadata.ErrorCategories();
        foreach (var kind in Enum.GetValues<GptImageErrorKind>())
        {
            Assert.Contains(GptImage.Commands.Base.ErrorRecords.CategoryOf(kind).ToString(), categories);
        }
        Assert.Contains(GptImage.Operations.ErrorInfo.Of(ApiCredential.Missing(ProviderKind.WaveSpeed), null).Category, categories);
    }

    [Fact]
    public void The_client_and_the_cmdlet_logic_use_no_PowerShell_type()
    {
        foreach (var type in ModuleMetadata.Module.GetTypes().Where(t => t.Namespace is "GptImage" or "GptImage.Client" or "GptImage.Operations"))
        {
            var referenced = new List<Type?> { type.BaseType };
            referenced.AddRange(type.GetInterfaces());
            const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            referenced.AddRange(type.GetFields(all).Select(f => f.FieldType));
            referenced.AddRange(type.GetProperties(all).Select(p => p.PropertyType));
            foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
            {
                referenced.AddRange(method.GetParameters().Select(p => p.ParameterType));
                if (method is MethodInfo m) { referenced.Add(m.ReturnType); }
            }
            foreach (var used in referenced.Where(t => t is not null))
            {
                Assert.False(used!.Assembly.GetName().Name == "System.Management.Automation", $"{type.FullName} uses {used.FullName}");
            }
        }
    }

    [Fact]
    public void The_format_view_shows_a_compact_table_and_a_full_list_of_existing_properties()
    {
        var format = System.Xml.Linq.XDocument.Load(ModuleMetadata.OutputFile("docs/GptImage.Format.ps1xml"));
        var views = format.Descendants("View").ToList();
        Assert.Contains(views, v => v.Element("TableControl") is not null);
        Assert.Contains(views, v => v.Element("ListControl") is not null);
        Assert.All(views, v => Assert.Equal("GptImage.Prediction", v.Descendants("TypeName").Single().Value));
        var properties = typeof(GptImage.Prediction).GetProperties().Select(p => p.Name).ToHashSet();
        Assert.All(format.Descendants("PropertyName").Select(p => p.Value), name => Assert.Contains(name, properties));
        var headers = views.Single(v => v.Element("TableControl") is not null).Descendants("Label").Select(l => l.Value).ToList();
        Assert.Equal(new[] { "Id", "Status", "Model", "Time", "Output" }, headers);
    }

    [Fact]
    public void The_table_fits_an_80_column_console_with_room_for_the_model()
    {
        var format = System.Xml.Linq.XDocument.Load(ModuleMetadata.OutputFile("docs/GptImage.Format.ps1xml"));
        var columns = format.Descendants("TableColumnHeader").ToList();
        var widths = columns.Select(c => (int?)c.Element("Width")).ToList();
        // Format-Table puts one space between columns; the unsized column (Model) gets the rest.
        var fixedWidth = widths.Sum(w => w ?? 0) + columns.Count - 1;
        Assert.Equal("Model", columns.Single(c => c.Element("Width") is null).Element("Label")!.Value);
        Assert.True(80 - fixedWidth >= "openai/gpt-image-1".Length, $"the fixed columns take {fixedWidth} of 80");
    }
}
