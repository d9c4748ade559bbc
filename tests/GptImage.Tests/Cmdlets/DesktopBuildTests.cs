using System.Reflection;
using System.Text.RegularExpressions;

namespace GptImage.Tests.Cmdlets;

/// <summary>
/// Windows PowerShell 5.1 cannot run here, so the Desktop (net472) build is checked as metadata: every
/// assembly it needs beyond .NET Framework 4.7.2 and PowerShell must be one the module ships.
/// </summary>
public sealed class DesktopBuildTests
{
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

        var script = File.ReadAllText(ModuleMetadata.OutputFile("docs/build.ps1"));
        var list = Regex.Match(script, @"'net472'\s*=\s*@\((?<files>[^)]*)\)").Groups["files"].Value;
        var shipped = Regex.Matches(list, @"'(?<name>[\w.]+)\.dll'").Select(m => m.Groups["name"].Value);
        Assert.Equal(needed.Order(StringComparer.OrdinalIgnoreCase), shipped.Order(StringComparer.OrdinalIgnoreCase));
    }
}
