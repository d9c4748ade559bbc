using System.Reflection;
using System.Runtime.InteropServices;

namespace GptImage.Tests.Cmdlets;

/// <summary>
/// The built module assembly read as metadata (System.Reflection.MetadataLoadContext) beside PowerShell's
/// reference assembly: cmdlet attributes can be inspected without loading PowerShell.
/// </summary>
internal static class ModuleMetadata
{
    private static readonly Lazy<(MetadataLoadContext Context, Assembly Module, Assembly Automation)> Loaded = new(Load);

    public static Assembly Module => Loaded.Value.Module;
    public static Assembly Automation => Loaded.Value.Automation;

    public static string OutputFile(string relative) => Path.Combine(AppContext.BaseDirectory, relative);

    private static (MetadataLoadContext, Assembly, Assembly) Load()
    {
        var modulePath = typeof(GptImage.Prediction).Assembly.Location;
        var automationPath = OutputFile("metadata/System.Management.Automation.dll");
        var paths = Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
            .Where(p => !Path.GetFileName(p).Equals("System.Management.Automation.dll", StringComparison.OrdinalIgnoreCase))
            .Append(modulePath)
            .Append(typeof(SixLabors.ImageSharp.Image).Assembly.Location)
            .Append(automationPath);
        var context = new MetadataLoadContext(new PathAssemblyResolver(paths), "System.Private.CoreLib");
        return (context, context.LoadFromAssemblyPath(modulePath), context.LoadFromAssemblyPath(automationPath));
    }

    public sealed record CmdletInfo(Type Type, string Verb, string Noun, IReadOnlyDictionary<string, object?> Options)
    {
        public string Name => $"{Verb}-{Noun}";
    }

    public sealed record ParameterInfo(PropertyInfo Property, IReadOnlyList<IReadOnlyDictionary<string, object?>> Sets, IReadOnlyList<string> Aliases, IReadOnlyList<string> Attributes)
    {
        public string Name => Property.Name;
    }

    public static IReadOnlyList<CmdletInfo> Cmdlets() =>
        Module.GetTypes()
            .Select(t => (Type: t, Attribute: t.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.FullName == "System.Management.Automation.CmdletAttribute")))
            .Where(x => x.Attribute is not null)
            .Select(x => new CmdletInfo(x.Type, (string)x.Attribute!.ConstructorArguments[0].Value!, (string)x.Attribute.ConstructorArguments[1].Value!,
                x.Attribute.NamedArguments.ToDictionary(n => n.MemberName, n => n.TypedValue.Value)))
            .ToList();

    public static CmdletInfo Cmdlet(string name) => Cmdlets().Single(c => c.Name == name);

    public static IReadOnlyList<ParameterInfo> Parameters(Type cmdlet) =>
        cmdlet.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Property: p, Data: p.GetCustomAttributesData()))
            .Where(x => x.Data.Any(a => a.AttributeType.FullName == "System.Management.Automation.ParameterAttribute"))
            .Select(x => new ParameterInfo(
                x.Property,
                x.Data.Where(a => a.AttributeType.FullName == "System.Management.Automation.ParameterAttribute")
                    .Select(a => (IReadOnlyDictionary<string, object?>)a.NamedArguments.ToDictionary(n => n.MemberName, n => n.TypedValue.Value)).ToList(),
                x.Data.Where(a => a.AttributeType.FullName == "System.Management.Automation.AliasAttribute")
                    .SelectMany(a => ((IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!).Select(v => (string)v.Value!)).ToList(),
                x.Data.Select(a => a.AttributeType.Name).ToList()))
            .ToList();

    public static ParameterInfo Parameter(string cmdlet, string name) => Parameters(Cmdlet(cmdlet).Type).Single(p => p.Name == name);

    /// <summary>Approved verbs: the constants of PowerShell's Verbs* classes.</summary>
    public static IReadOnlySet<string> ApprovedVerbs() =>
        Automation.GetTypes().Where(t => t.Namespace == "System.Management.Automation" && t.Name.StartsWith("Verbs", StringComparison.Ordinal))
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static)).Select(f => (string)f.GetRawConstantValue()!).ToHashSet();

    public static IReadOnlySet<string> ErrorCategories() =>
        Automation.GetType("System.Management.Automation.ErrorCategory")!.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.Name).ToHashSet();
}
