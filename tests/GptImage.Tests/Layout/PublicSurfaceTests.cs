using System.Reflection;

namespace GptImage.Tests.Layout;

/// <summary>
/// What users see or type is public, and nothing else: the output types (Model), the cmdlets and what PowerShell needs
/// public (their base classes, completers, transformation attributes, the module initializer). The list is checked in:
/// a change to it is a deliberate one, made in the same commit (and, for a type users could have typed, in CHANGELOG).
/// </summary>
public sealed class PublicSurfaceTests
{
    private static readonly string ListFile = Path.Combine(
        Path.GetDirectoryName(typeof(PublicSurfaceTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ModuleSource").Value!)!,
        "..", "tests", "GptImage.Tests", "Layout", "PublicSurface.txt");

    [Fact]
    public void The_public_surface_is_the_checked_in_list()
    {
        var expected = File.ReadAllLines(ListFile).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var actual = Surface();
        // What the build exposes, beside the test assembly, to compare or copy over the list.
        File.WriteAllLines(Path.Combine(AppContext.BaseDirectory, "PublicSurface.actual.txt"), actual);
        Assert.True(expected.SequenceEqual(actual),
            "The public surface changed. Added: " + string.Join("; ", actual.Except(expected)) + ". Removed: " + string.Join("; ", expected.Except(actual)) +
            $". If that is deliberate, update {Path.GetFullPath(ListFile)}.");
    }

    /// <summary>Every exported type, and each of its public or protected members, one line each, in a stable order.</summary>
    internal static List<string> Surface()
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var lines = new List<string>();
        foreach (var type in typeof(Prediction).Assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            lines.Add($"{Kind(type)} {type.FullName}" + (type.BaseType is { } b && b != typeof(object) && b != typeof(Enum) && b != typeof(ValueType) ? " : " + b.Name : ""));
            var members = type.GetMembers(flags)
                .Where(m => m switch
                {
                    MethodBase method => (method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly) && (!method.IsSpecialName || method is ConstructorInfo),
                    FieldInfo field => (field.IsPublic || field.IsFamily || field.IsFamilyOrAssembly) && !field.IsSpecialName,
                    PropertyInfo property => property.GetAccessors(true).Any(a => a.IsPublic || a.IsFamily || a.IsFamilyOrAssembly),
                    EventInfo => true,
                    _ => false,
                })
                .Select(m => "  " + Describe(m)).Distinct().OrderBy(s => s, StringComparer.Ordinal);
            lines.AddRange(members);
        }
        return lines;
    }

    private static string Kind(Type type) => type.IsEnum ? "enum" : type.IsInterface ? "interface" : type.IsValueType ? "struct" : "class";

    private static string Describe(MemberInfo member) => member switch
    {
        ConstructorInfo c => $"ctor({Parameters(c)})",
        MethodInfo m => $"{(m.IsStatic ? "static " : "")}{m.ReturnType.Name} {m.Name}({Parameters(m)})",
        PropertyInfo p => $"{p.PropertyType.Name} {p.Name}" + (p.SetMethod is { } set && (set.IsPublic || set.IsFamily) ? " { get; set; }" : " { get; }"),
        FieldInfo f => $"{(f.IsStatic ? "static " : "")}{f.FieldType.Name} {f.Name}",
        EventInfo e => $"event {e.EventHandlerType?.Name} {e.Name}",
        _ => member.Name,
    };

    private static string Parameters(MethodBase method) => string.Join(", ", method.GetParameters().Select(p => p.ParameterType.Name));
}
