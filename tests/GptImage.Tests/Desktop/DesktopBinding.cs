using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using GptImage.Module;

namespace GptImage.Tests.Desktop;

/// <summary>
/// What .NET Framework would bind for a module folder, read as metadata (Mono, which runs the Desktop tests, ignores
/// assembly versions). Every reference of every assembly in the folder must be met: by .NET Framework 4.7.2 at that
/// version or above (the runtime unifies its own assemblies upward), by the shipped file of that exact version, or, for
/// any other version, by the module's resolve handler, which is asked here as the runtime would ask it
/// (<see cref="ModuleInitializer.Answer"/>). PowerShell provides System.Management.Automation.
/// </summary>
internal static class DesktopBinding
{
    /// <summary>One line per reference nothing meets, naming who asks for what; empty when the folder binds.</summary>
    public static IReadOnlyList<string> Problems(string folder, string frameworkReferenceAssemblies)
    {
        var framework = Versions(Directory.GetFiles(frameworkReferenceAssemblies, "*.dll")
            .Concat(Directory.GetFiles(Path.Combine(frameworkReferenceAssemblies, "Facades"), "*.dll")));
        var shipped = Versions(Directory.GetFiles(folder, "*.dll"));
        var problems = new List<string>();
        foreach (var file in Directory.GetFiles(folder, "*.dll").Order(StringComparer.OrdinalIgnoreCase))
        {
            foreach (var reference in References(file))
            {
                var name = reference.Name!;
                if (name == "System.Management.Automation") { continue; }
                if (framework.TryGetValue(name, out var inFramework) && inFramework >= reference.Version) { continue; }
                if (shipped.TryGetValue(name, out var inFolder) && inFolder == reference.Version) { continue; }
                if (ModuleInitializer.Answer(folder, reference) is not null) { continue; }
                var asker = Path.GetFileNameWithoutExtension(file);
                problems.Add(shipped.TryGetValue(name, out var lower)
                    ? $"{asker} needs {name} {reference.Version}; the module ships {lower}, lower, which the resolve handler does not answer with."
                    : framework.TryGetValue(name, out var older)
                        ? $"{asker} needs {name} {reference.Version}; .NET Framework 4.7.2 has {older} and the module does not ship it."
                        : $"{asker} needs {name} {reference.Version}, which neither .NET Framework 4.7.2 nor the module provides.");
            }
        }
        return problems;
    }

    /// <summary>Raises the version of <paramref name="file"/>'s reference to <paramref name="name"/> to <paramref name="major"/>.0.0.0 in place (its signature no longer holds; metadata is all that is read).</summary>
    public static void RaiseReference(string file, string name, ushort major)
    {
        long offset;
        using (var pe = new PEReader(File.OpenRead(file)))
        {
            var metadata = pe.GetMetadataReader();
            var row = metadata.AssemblyReferences.Select(h => (Handle: h, Reference: metadata.GetAssemblyReference(h)))
                .Single(r => metadata.GetString(r.Reference.Name) == name).Handle;
            var index = MetadataTokens.GetRowNumber(row) - 1;
            // An AssemblyRef row starts with MajorVersion, MinorVersion, BuildNumber, RevisionNumber (2 bytes each).
            offset = pe.PEHeaders.MetadataStartOffset + metadata.GetTableMetadataOffset(TableIndex.AssemblyRef)
                + ((long)index * metadata.GetTableRowSize(TableIndex.AssemblyRef));
        }
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Write);
        stream.Position = offset;
        stream.Write([(byte)major, (byte)(major >> 8), 0, 0, 0, 0, 0, 0]);
    }

    private static Dictionary<string, Version> Versions(IEnumerable<string> files) =>
        files.Select(NameOf).OfType<AssemblyName>().GroupBy(n => n.Name!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Max(n => n.Version)!, StringComparer.OrdinalIgnoreCase);

    /// <summary>The assembly's name, or null for a file that is not one (the framework folder holds native DLLs and modules).</summary>
    private static AssemblyName? NameOf(string file)
    {
        using var pe = new PEReader(File.OpenRead(file));
        if (!pe.HasMetadata) { return null; }
        var metadata = pe.GetMetadataReader();
        return metadata.IsAssembly ? metadata.GetAssemblyDefinition().GetAssemblyName() : null;
    }

    private static List<AssemblyName> References(string file)
    {
        using var pe = new PEReader(File.OpenRead(file));
        var metadata = pe.GetMetadataReader();
        return metadata.AssemblyReferences.Select(h => metadata.GetAssemblyReference(h).GetAssemblyName()).ToList();
    }
}
