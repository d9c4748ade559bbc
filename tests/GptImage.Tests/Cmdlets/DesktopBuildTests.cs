using System.Reflection;
using System.Text.RegularExpressions;
using GptImage.Module;
using GptImage.Tests.Desktop;

namespace GptImage.Tests.Cmdlets;

/// <summary>
/// Windows PowerShell 5.1 cannot run here, so the Desktop (net472) build is checked as metadata: every
/// assembly it needs beyond .NET Framework 4.7.2 and PowerShell must be one the module ships, and every reference of
/// every shipped file must bind there, by version, with the module's resolve handler (see <see cref="DesktopBinding"/>).
/// </summary>
public sealed class DesktopBuildTests : IDisposable
{
    private const string Unsafe = "System.Runtime.CompilerServices.Unsafe";

    /// <summary>The net472 module folder as build.ps1 lays it out: the files it ships, from the net472 build.</summary>
    private readonly string _module = Directory.CreateTempSubdirectory("gptimage-net472-").FullName;

    public DesktopBuildTests()
    {
        var build = Path.GetFullPath(Setting("Net472ModuleBuild"));
        foreach (var name in ShippedByBuildScript()) { File.Copy(Path.Combine(build, name + ".dll"), Path.Combine(_module, name + ".dll")); }
    }

    public void Dispose() => Directory.Delete(_module, recursive: true);

    private static string Framework => Path.GetFullPath(Setting("Net472ReferenceAssemblies"));

    private static IEnumerable<string> ShippedByBuildScript()
    {
        var script = File.ReadAllText(ModuleMetadata.OutputFile("docs/build.ps1"));
        var list = Regex.Match(script, @"'net472'\s*=\s*@\((?<files>[^)]*)\)").Groups["files"].Value;
        return Regex.Matches(list, @"'(?<name>[\w.]+)\.dll'").Select(m => m.Groups["name"].Value);
    }

    [Fact]
    public void Every_reference_of_the_shipped_files_binds_on_NET_Framework_the_version_mismatches_through_the_resolve_handler()
    {
        Assert.Empty(DesktopBinding.Problems(_module, Framework));
        // The mismatch that needs it: ImageSharp asks for Unsafe 5.0.0.0, the module ships 6.0.0.0; a newer one is refused.
        Assert.Equal(Path.Combine(_module, Unsafe + ".dll"), ModuleInitializer.Answer(_module, new AssemblyName(Unsafe + ", Version=5.0.0.0")));
        Assert.Null(ModuleInitializer.Answer(_module, new AssemblyName(Unsafe + ", Version=6.0.0.1")));
        Assert.Null(ModuleInitializer.Answer(_module, new AssemblyName("Not.Shipped, Version=1.0.0.0")));
    }

    [Fact]
    public void A_module_folder_without_the_shipped_Unsafe_fails_the_binding_check_naming_each_assembly_that_asks_for_it()
    {
        File.Delete(Path.Combine(_module, Unsafe + ".dll"));
        var problems = DesktopBinding.Problems(_module, Framework);
        Assert.Contains($"SixLabors.ImageSharp needs {Unsafe} 5.0.0.0, which neither .NET Framework 4.7.2 nor the module provides.", problems);
        Assert.Contains($"System.Memory needs {Unsafe} 4.0.4.1, which neither .NET Framework 4.7.2 nor the module provides.", problems);
    }

    [Fact]
    public void A_reference_raised_past_the_shipped_version_fails_the_binding_check()
    {
        DesktopBinding.RaiseReference(Path.Combine(_module, "System.Memory.dll"), Unsafe, 7);
        var problem = Assert.Single(DesktopBinding.Problems(_module, Framework));
        Assert.Equal($"System.Memory needs {Unsafe} 7.0.0.0; the module ships 6.0.0.0, lower, which the resolve handler does not answer with.", problem);
    }
    private static string Setting(string key) =>
        typeof(DesktopBuildTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    [Fact]
    public void The_Desktop_build_ships_exactly_the_assemblies_it_needs_beyond_the_framework()
    {
        var build = Path.GetFullPath(Setting("Net472ModuleBuild"));
        Assert.True(File.Exists(Path.Combine(build, "GptImage.PowerShell.dll")), $"Build the solution first: {build} has no net472 build.");
        var framework = Path.GetFullPath(Setting("Net472ReferenceAssemblies"));
        var frameworkFiles = Directory.GetFiles(framework, "*.dll").Concat(Directory.GetFiles(Path.Combine(framework, "Facades"), "*.dll")).ToList();
        var frameworkNames = frameworkFiles.Select(Path.GetFileNameWithoutExtension).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var built = Directory.GetFiles(build, "*.dll").ToDictionary(p => Path.GetFileNameWithoutExtension(p)!, StringComparer.OrdinalIgnoreCase);
        // Where a built file shadows a framework facade (System.ValueTuple, ...), the built one is what the module loads.
        var paths = frameworkFiles.Where(p => !built.ContainsKey(Path.GetFileNameWithoutExtension(p)!)).Concat(built.Values)
            .Append(ModuleMetadata.OutputFile("metadata/System.Management.Automation.dll"));
        using var context = new MetadataLoadContext(new PathAssemblyResolver(paths), "mscorlib");

        var needed = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "GptImage.PowerShell" };
        var queue = new Queue<string>(needed);
        while (queue.Count > 0)
        {
            var assembly = context.LoadFromAssemblyPath(built[queue.Dequeue()]);
            foreach (var reference in assembly.GetReferencedAssemblies().Select(r => r.Name!))
            {
                if (reference == "System.Management.Automation" || needed.Contains(reference)) { continue; }
                if (built.ContainsKey(reference)) { needed.Add(reference); queue.Enqueue(reference); continue; }
                Assert.True(frameworkNames.Contains(reference), $"{assembly.GetName().Name} needs {reference}, which neither .NET Framework 4.7.2 nor the module provides.");
            }
        }

        Assert.Equal(needed.Order(StringComparer.OrdinalIgnoreCase), ShippedByBuildScript().Order(StringComparer.OrdinalIgnoreCase));
    }
}
